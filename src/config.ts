import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from './errors.js';

/**
 * Where settings come from, highest first: flag > environment (RC_*) > .env in the current
 * directory (or --env-file) > the saved profile > default. Names follow RingCentral's
 * quick-start .env template.
 */

export const SERVERS = {
  production: 'https://platform.ringcentral.com',
  sandbox: 'https://platform.devtest.ringcentral.com',
} as const;

export const DEFAULT_REDIRECT_URI = 'http://localhost:5000/oauth2callback';

export type Source = 'flag' | 'env' | '.env' | 'profile' | 'default';

export interface Setting<T> {
  value: T;
  source: Source;
}

export interface GlobalFlags {
  profile?: string;
  envFile?: string;
  server?: string;
  clientId?: string;
  redirectUri?: string;
  debug?: boolean;
}

/** What a saved profile contributes (written at login). */
export interface SavedSettings {
  server?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
}

export interface Settings {
  profile: string;
  configDir: string;
  server: Setting<string>;
  clientId: Setting<string | undefined>;
  clientSecret: Setting<string | undefined>;
  redirectUri: Setting<string>;
  jwt: Setting<string | undefined>;
  /** The .env file that was read, if any (said on stderr by the caller). */
  envFileUsed: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RINGCENTRAL_CONFIG_DIR) return resolve(env.RINGCENTRAL_CONFIG_DIR);
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'ringcentral');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'ringcentral');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'ringcentral');
}

export function parseProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new UsageError(`--profile: "${name}" is not a valid profile name`, 'use letters, digits, "-" and "_" (up to 64)');
  }
  return name;
}

/** `production`, `sandbox`, or a base URL (https, or http on loopback for the emulator). */
export function parseServer(text: string, flag = '--server'): string {
  const named = SERVERS[text as keyof typeof SERVERS];
  if (named) return named;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: "${text}" is not a URL`, 'use production, sandbox, or a URL like https://platform.ringcentral.com');
  }
  // RFC 6761: names under .localhost are loopback too.
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError(`${flag}: "${text}" must use https (plain http is only allowed on loopback)`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new UsageError(
      `${flag}: "${text}" must be a bare origin, without a path or query`,
      'for example https://platform.ringcentral.com',
    );
  }
  return url.origin;
}

/** RFC 8252 §7.3: a loopback http URI with an explicit port and a path, which the listener can bind. */
export function parseRedirectUri(text: string, flag = '--redirect-uri'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: "${text}" is not a URL`, `for example ${DEFAULT_REDIRECT_URI}`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`${flag}: "${text}" must use http (the listener on this machine has no TLS)`);
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(`${flag}: "${text}" must point at this machine (localhost, 127.0.0.1 or [::1])`);
  }
  if (!url.port) throw new UsageError(`${flag}: "${text}" needs an explicit port`, `for example ${DEFAULT_REDIRECT_URI}`);
  if (url.pathname === '/' || url.search || url.hash) {
    throw new UsageError(`${flag}: "${text}" needs a path and no query`, `for example ${DEFAULT_REDIRECT_URI}`);
  }
  return text;
}

/** Reads RC_* keys from a .env file; garbage lines are an error, not silently skipped. */
export function readEnvFile(path: string, explicit: boolean): Record<string, string> | undefined {
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`--env-file: cannot read "${path}": no such file`);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--env-file: cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) {
      throw new UsageError(`${path}:${index + 1} is not a KEY=VALUE line`, 'fix or remove that line (comments start with #)');
    }
  });
  const values = parseEnv(text) as Record<string, string>;
  return Object.fromEntries(Object.entries(values).filter(([key]) => key.startsWith('RC_')));
}

/** The profile chosen with `ringcentral profiles use NAME` (config.json beside the profiles). */
export function defaultProfile(dir: string): string | undefined {
  try {
    const value = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { defaultProfile?: unknown }).defaultProfile;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

function pick<T>(candidates: [Source, T | undefined][], fallback: Setting<T>): Setting<T> {
  for (const [source, value] of candidates) {
    if (value !== undefined && value !== '') return { value, source };
  }
  return fallback;
}

export interface ResolveInput {
  flags: GlobalFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Loads a profile's saved settings (kept lazy: most callers read the profile anyway). */
  saved?: (profile: string, configDir: string) => SavedSettings | undefined;
}

export function resolveSettings({ flags, env = process.env, cwd = process.cwd(), saved }: ResolveInput): Settings {
  const envFilePath = flags.envFile ? resolve(cwd, flags.envFile) : join(cwd, '.env');
  const dotenv = readEnvFile(envFilePath, flags.envFile !== undefined) ?? {};
  const dir = configDir(env);
  const profile = parseProfileName(flags.profile ?? env.RC_PROFILE ?? dotenv.RC_PROFILE ?? defaultProfile(dir) ?? 'default');
  const stored = saved?.(profile, dir) ?? {};
  const layered = <T>(flag: T | undefined, key: string, storedValue: T | undefined): [Source, T | undefined][] => [
    ['flag', flag],
    ['env', env[key] as T | undefined],
    ['.env', dotenv[key] as T | undefined],
    ['profile', storedValue],
  ];
  const server = pick(layered(flags.server, 'RC_SERVER_URL', stored.server), { value: 'production', source: 'default' });
  const redirect = pick(layered(flags.redirectUri, 'RC_REDIRECT_URL', stored.redirectUri), {
    value: DEFAULT_REDIRECT_URI,
    source: 'default',
  });
  return {
    profile,
    configDir: dir,
    server: { ...server, value: parseServer(server.value, server.source === 'flag' ? '--server' : `server (from ${server.source})`) },
    clientId: pick(layered(flags.clientId, 'RC_CLIENT_ID', stored.clientId), { value: undefined, source: 'default' }),
    clientSecret: pick(layered(undefined, 'RC_CLIENT_SECRET', stored.clientSecret), { value: undefined, source: 'default' }),
    redirectUri: {
      ...redirect,
      value: parseRedirectUri(redirect.value, redirect.source === 'flag' ? '--redirect-uri' : `redirect URI (from ${redirect.source})`),
    },
    jwt: pick(layered(undefined, 'RC_JWT', undefined), { value: undefined, source: 'default' }),
    envFileUsed: Object.keys(dotenv).length > 0 ? envFilePath : undefined,
  };
}
