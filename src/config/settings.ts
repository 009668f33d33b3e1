import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readEnvFile } from './env-file.js';
import { DEFAULT_REDIRECT_URI, parseProfileName, parseRedirectUri, parseServer } from './parse.js';
import { configDir, readDefaultProfile } from './paths.js';

/*
 * Where settings come from, highest first: flag > environment (RC_*) > .env in the current
 * directory (or --env-file) > the saved profile > default. Names follow RingCentral's
 * quick-start .env template. The profile is resolved first, since the saved layer depends on it.
 */

export type Source = 'flag' | 'env' | '.env' | 'profile' | 'default';

export interface Setting<T> {
  value: T;
  source: Source;
}

/** The command-line flags that feed settings (global ones, plus login's --client-id and --redirect-uri). */
export interface SettingFlags {
  profile?: string;
  /** --dotenv FILE: settings from FILE instead of ./.env. */
  dotenv?: string;
  /** The old spelling of --dotenv (Node 20 takes --env-file for itself): refused with a pointer. */
  envFile?: string;
  server?: string;
  clientId?: string;
  redirectUri?: string;
  debug?: boolean;
  quiet?: boolean;
}

/** What a saved profile contributes (written at login). */
export interface SavedSettings {
  server?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
}

/** The profile a command runs as, and the layers read to choose it. */
export interface ProfileChoice {
  profile: string;
  configDir: string;
  /** RC_* values of the .env file (empty when there is none). */
  dotenv: Record<string, string>;
  /** The .env file that was read, if any (said on stderr by the caller). */
  envFileUsed: string | undefined;
  /** Whether that file was named with --env-file (chosen by the user) rather than found in the directory. */
  envFileExplicit: boolean;
}

export interface Settings {
  profile: string;
  configDir: string;
  server: Setting<string>;
  clientId: Setting<string | undefined>;
  clientSecret: Setting<string | undefined>;
  redirectUri: Setting<string>;
  jwt: Setting<string | undefined>;
  envFileUsed: string | undefined;
  envFileExplicit: boolean;
  /** The server the saved profile is signed in to, if any (a server the user already trusts). */
  profileServer: string | undefined;
}

export interface ResolveInput {
  flags: SettingFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function resolveProfile({ flags, env = process.env, cwd = process.cwd() }: ResolveInput): ProfileChoice {
  // A bad --profile is reported before a bad .env line: it is what the user just typed.
  if (flags.profile !== undefined) parseProfileName(flags.profile);
  if (flags.envFile !== undefined) {
    throw new UsageError('--env-file is now --dotenv', 'Node 20 takes --env-file for itself: use --dotenv FILE');
  }
  const envFilePath = flags.dotenv ? resolve(cwd, flags.dotenv) : join(cwd, '.env');
  // An explicit --profile means that profile: a ./.env found lying around does not redirect it
  // (flags and real environment variables still apply; --dotenv FILE is read as asked).
  const dotenv =
    flags.profile !== undefined && flags.dotenv === undefined ? {} : (readEnvFile(envFilePath, flags.dotenv !== undefined) ?? {});
  const dir = configDir(env);
  // Set but empty is unset, as for every RC_* variable.
  const profile = parseProfileName(flags.profile ?? (env.RC_PROFILE || dotenv.RC_PROFILE || readDefaultProfile(dir)) ?? 'default');
  return {
    profile,
    configDir: dir,
    dotenv,
    envFileUsed: Object.keys(dotenv).length > 0 ? envFilePath : undefined,
    envFileExplicit: flags.dotenv !== undefined,
  };
}

function pick<T>(candidates: [Source, T | undefined][], fallback: Setting<T>): Setting<T> {
  for (const [source, value] of candidates) {
    if (value !== undefined && value !== '') return { value, source };
  }
  return fallback;
}

export function resolveSettings(choice: ProfileChoice, { flags, env = process.env }: ResolveInput, saved: SavedSettings = {}): Settings {
  const { dotenv } = choice;
  const layered = <T>(flag: T | undefined, key: string, storedValue: T | undefined): [Source, T | undefined][] => [
    ['flag', flag],
    ['env', env[key] as T | undefined],
    ['.env', dotenv[key] as T | undefined],
    ['profile', storedValue],
  ];
  const server = pick(layered(flags.server, 'RC_SERVER_URL', saved.server), { value: 'production', source: 'default' });
  const redirect = pick(layered(flags.redirectUri, 'RC_REDIRECT_URL', saved.redirectUri), {
    value: DEFAULT_REDIRECT_URI,
    source: 'default',
  });
  return {
    profile: choice.profile,
    configDir: choice.configDir,
    server: { ...server, value: parseServer(server.value, server.source === 'flag' ? '--server' : `server (from ${server.source})`) },
    clientId: pick(layered(flags.clientId, 'RC_CLIENT_ID', saved.clientId), { value: undefined, source: 'default' }),
    clientSecret: pick(layered(undefined, 'RC_CLIENT_SECRET', saved.clientSecret), { value: undefined, source: 'default' }),
    redirectUri: {
      ...redirect,
      value: parseRedirectUri(redirect.value, redirect.source === 'flag' ? '--redirect-uri' : `redirect URI (from ${redirect.source})`),
    },
    jwt: pick(layered(undefined, 'RC_JWT', undefined), { value: undefined, source: 'default' }),
    envFileUsed: choice.envFileUsed,
    envFileExplicit: choice.envFileExplicit,
    profileServer: saved.server,
  };
}

/**
 * A server named by a .env found in the working directory (the least trusted layer: any cloned
 * repository may carry one) only ever gets credentials from that same file, unless it is the
 * server the saved profile already uses. Client ids, secrets and JWTs from the environment or a
 * saved profile are never sent to another server a .env names.
 */
export function checkServerTrust(settings: Settings): void {
  if (settings.server.source !== '.env' || settings.envFileExplicit || settings.server.value === settings.profileServer) return;
  const credentials: [string, Setting<string | undefined>][] = [
    ['client id', settings.clientId],
    ['client secret', settings.clientSecret],
    ['JWT', settings.jwt],
  ];
  const foreign = credentials.filter(([, setting]) => setting.value !== undefined && setting.source !== '.env');
  if (foreign.length === 0) return;
  const what = foreign.map(([name, setting]) => `${name} (from ${setting.source})`).join(', ');
  throw new UsageError(
    `${settings.envFileUsed} sets the server to ${settings.server.value}, but the ${what} did not come from that file: not sending them there`,
    'to use that server, pass --server or set RC_SERVER_URL in the environment; otherwise remove RC_SERVER_URL from the .env',
  );
}
