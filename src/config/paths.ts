import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the CLI keeps its files, the one place that knows the layout:
 *   <configDir>/config.json               the default profile (`profiles use`)
 *   <configDir>/profiles/<name>.json      a profile's session and settings
 *   <configDir>/env-cache/<key>.json      tokens cached for RC_JWT environment credentials
 * and, apart from the settings, what can be rebuilt at any time (cacheDir):
 *   <cacheDir>/v8/<build>-<node>-<arch>-<command>.bin   compiled code of the CLI (src/code-cache.ts)
 *   <cacheDir>/node/                                     Node's compile cache of the vendor bundles
 */

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RINGCENTRAL_CONFIG_DIR) return resolve(env.RINGCENTRAL_CONFIG_DIR);
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'ringcentral');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'ringcentral');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'ringcentral');
}

/** Where the CLI keeps what it can rebuild: RINGCENTRAL_CACHE_DIR, else the platform's per-user cache folder. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RINGCENTRAL_CACHE_DIR) return resolve(env.RINGCENTRAL_CACHE_DIR);
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'ringcentral', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'ringcentral');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ringcentral');
}

export const PROFILES_SUBDIR = 'profiles';
export const ENV_CACHE_SUBDIR = 'env-cache';
const SETTINGS_NAME = 'config';

export function profileFile(dir: string, profile: string, subdir = PROFILES_SUBDIR): string {
  return join(dir, subdir, `${profile}.json`);
}

/** The saved profiles, sorted by name. */
export function profileNames(dir: string): string[] {
  const profiles = join(dir, PROFILES_SUBDIR);
  if (!existsSync(profiles)) return [];
  return readdirSync(profiles)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -5))
    .sort();
}

/** The profile chosen with `ringcentral profiles use NAME`; a damaged config.json counts as none. */
export function readDefaultProfile(dir: string): string | undefined {
  try {
    const value = (JSON.parse(readFileSync(join(dir, `${SETTINGS_NAME}.json`), 'utf8')) as { defaultProfile?: unknown }).defaultProfile;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Sets or clears the default profile; conf writes config.json atomically with mode 0600. */
export async function writeDefaultProfile(dir: string, name: string | undefined): Promise<void> {
  const { default: Conf } = await import('conf');
  const settings = new Conf<{ defaultProfile?: string }>({
    cwd: dir,
    configName: SETTINGS_NAME,
    configFileMode: 0o600,
    clearInvalidConfig: true,
  });
  if (name === undefined) settings.delete('defaultProfile');
  else settings.set('defaultProfile', name);
}
