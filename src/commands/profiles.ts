import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { TokenStore } from '../auth/token-store.js';
import { defaultProfile, parseProfileName } from '../config.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { logout } from './logout.js';

/** `ringcentral profiles`: named sign-ins side by side (production, sandbox, the emulator, ...). */

export interface ProfileInfo {
  name: string;
  default: boolean;
  server?: string;
  accountId?: string;
  extensionNumber?: string;
  user?: string;
  refreshTokenExpiresAt?: string;
  expired?: boolean;
  damaged?: boolean;
}

const SETTINGS_FILE = 'config';

function settingsFile(configDir: string): Conf<{ defaultProfile?: string }> {
  return new Conf<{ defaultProfile?: string }>({
    cwd: configDir,
    configName: SETTINGS_FILE,
    configFileMode: 0o600,
    clearInvalidConfig: true,
  });
}

function profileNames(configDir: string): string[] {
  const dir = join(configDir, 'profiles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -5))
    .sort();
}

export function listProfiles(ctx: CommandContext, now = Date.now()): ProfileInfo[] {
  const { configDir, profile: current } = ctx.settings;
  return profileNames(configDir).map((name) => {
    const info: ProfileInfo = { name, default: name === current };
    try {
      const stored = new TokenStore(configDir, name).read();
      if (!stored) return info;
      return {
        ...info,
        server: stored.server,
        accountId: stored.user.accountId,
        extensionNumber: stored.user.extensionNumber,
        user: stored.user.name,
        refreshTokenExpiresAt: new Date(stored.tokens.refresh_token_expire_time).toISOString(),
        expired: stored.tokens.refresh_token_expire_time <= now,
      };
    } catch {
      return { ...info, damaged: true };
    }
  });
}

export function printProfiles(profiles: ProfileInfo[], json: boolean, write: (text: string) => void): void {
  if (json) {
    write(`${JSON.stringify(profiles, null, 2)}\n`);
    return;
  }
  if (profiles.length === 0) {
    write('No profiles yet: run "ringcentral login" (add --profile NAME for a named one).\n');
    return;
  }
  const rows = profiles.map((p) => [
    p.default ? '*' : ' ',
    p.name,
    p.server ?? '',
    p.accountId ?? '',
    p.extensionNumber ?? '',
    p.user ?? '',
    p.damaged ? 'damaged file' : p.expired ? `expired ${p.refreshTokenExpiresAt}` : (p.refreshTokenExpiresAt ?? ''),
  ]);
  const header = [' ', 'PROFILE', 'SERVER', 'ACCOUNT', 'EXT', 'USER', 'SESSION EXPIRES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

function requireProfile(ctx: CommandContext, name: string): string {
  parseProfileName(name);
  const known = profileNames(ctx.settings.configDir);
  if (!known.includes(name)) {
    throw new UsageError(
      `no profile named "${name}"`,
      known.length ? `known profiles: ${known.join(', ')}` : 'run "ringcentral login --profile NAME" first',
    );
  }
  return name;
}

export function useProfile(ctx: CommandContext, name: string): void {
  settingsFile(ctx.settings.configDir).set('defaultProfile', requireProfile(ctx, name));
  ctx.logger.success(`"${name}" is now the default profile`);
}

/** Revokes the profile's session (best effort), then deletes it. */
export async function removeProfile(ctx: CommandContext, name: string): Promise<void> {
  requireProfile(ctx, name);
  const store = new TokenStore(ctx.settings.configDir, name);
  await logout({ ...ctx, store, settings: { ...ctx.settings, profile: name } });
  rmSync(store.path, { force: true });
  if (defaultProfile(ctx.settings.configDir) === name) settingsFile(ctx.settings.configDir).delete('defaultProfile');
  ctx.logger.success(`Removed profile "${name}"`);
}
