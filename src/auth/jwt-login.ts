import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createPlatform, type Platform, readFailure, toCliError } from '../api/platform.js';
import type { Settings } from '../config.js';
import { AuthError, UsageError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { type NewSessionDeps, readPrevious, saveNewSession } from './new-session.js';
import { Session } from './session.js';
import { type StoredSession, TokenStore } from './token-store.js';

/**
 * JWT credentials (RFC 7523 bearer grant), RingCentral's recommended sign-in for scripts and
 * servers. A JWT is read from RC_JWT, a file or stdin, never from a flag value (shell history).
 */

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function checkJwt(jwt: string, source: string): string {
  const value = jwt.trim();
  if (!JWT_SHAPE.test(value)) {
    throw new UsageError(
      `${source} does not hold a JWT (expected three base64url parts separated by dots)`,
      'copy the JWT credential from the RingCentral Developer Console (Credentials > JWT)',
    );
  }
  return value;
}

/** `--jwt-file PATH` (`-` = stdin), else RC_JWT from the environment or .env. */
export async function readJwt(jwtFile: string | undefined, settings: Settings, stdin: NodeJS.ReadableStream): Promise<string> {
  if (jwtFile === '-') return checkJwt(await readAll(stdin), 'standard input');
  if (jwtFile !== undefined) {
    let text: string;
    try {
      text = await readFile(jwtFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--jwt-file: cannot read "${jwtFile}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    return checkJwt(text, `--jwt-file ${jwtFile}`);
  }
  if (settings.jwt.value) return checkJwt(settings.jwt.value, `RC_JWT (from ${settings.jwt.source})`);
  throw new UsageError('--jwt: no JWT found', 'set RC_JWT, or pass --jwt-file PATH (or --jwt-file - to read standard input)');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

export async function exchangeJwt(platform: Platform, jwt: string, server: string): Promise<void> {
  try {
    await platform.login({ jwt });
  } catch (error) {
    const failure = await readFailure(error);
    if (failure.error) {
      throw new AuthError(
        `RingCentral refused the JWT: ${failure.message} (${failure.code ?? failure.error})`,
        'check that the JWT belongs to this app and server, and has not expired or been revoked',
      );
    }
    throw await toCliError(error, server);
  }
}

function clientIdOf(settings: Settings): string {
  const clientId = settings.clientId.value;
  if (!clientId) throw new UsageError('no client id: set RC_CLIENT_ID (environment or .env) or pass --client-id');
  return clientId;
}

/** `ringcentral login --jwt`: stores the session exactly like a browser login. */
export async function loginWithJwt(deps: NewSessionDeps, jwt: string): Promise<StoredSession> {
  const clientId = clientIdOf(deps.settings);
  const previous = readPrevious(deps);
  const platform = await createPlatform({
    server: deps.settings.server.value,
    clientId,
    clientSecret: deps.settings.clientSecret.value,
    logger: deps.logger,
  });
  await exchangeJwt(platform, jwt, deps.settings.server.value);
  return saveNewSession(deps, platform, clientId, 'jwt', previous);
}

/** RC_JWT + RC_CLIENT_ID in the environment (or .env) sign every command in, bypassing saved logins. */
export function usesEnvJwt(settings: Settings): boolean {
  return Boolean(settings.jwt.value && settings.clientId.value && (settings.jwt.source === 'env' || settings.jwt.source === '.env'));
}

/**
 * The token cache for environment credentials: one store per (server, app, JWT), so 100
 * sequential commands cost one token request, not 100 (the Auth group allows 5 a minute).
 */
export function envStore(settings: Settings): TokenStore {
  const key = createHash('sha256').update(`${settings.server.value}\n${settings.clientId.value}\n${settings.jwt.value}`).digest('hex');
  return new TokenStore(settings.configDir, `env-${key.slice(0, 24)}`, 'env-cache');
}

export async function openEnvSession(settings: Settings, logger: Logger): Promise<{ session: Session; store: TokenStore }> {
  const store = envStore(settings);
  const jwt = checkJwt(settings.jwt.value ?? '', `RC_JWT (from ${settings.jwt.source})`);
  const usable = (s: StoredSession | undefined) => s !== undefined && s.tokens.refresh_token_expire_time > Date.now();
  // A damaged cache is only a cache: it is replaced.
  const readCache = () => {
    try {
      return store.read();
    } catch {
      return undefined;
    }
  };
  if (!usable(readCache())) {
    await store.withLock(async () => {
      if (usable(readCache())) return;
      logger.debug('exchanging RC_JWT for tokens');
      const clientId = clientIdOf(settings);
      const platform = await createPlatform({ server: settings.server.value, clientId, clientSecret: settings.clientSecret.value, logger });
      await exchangeJwt(platform, jwt, settings.server.value);
      await saveNewSession({ settings, store, logger }, platform, clientId, 'jwt', undefined, true);
    });
  }
  return { session: await Session.open({ settings, store, logger }), store };
}
