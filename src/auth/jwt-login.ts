import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import { readFailure, toCliError } from '../api/errors.js';
import { type Platform, platformFor } from '../api/platform.js';
import { WaitBudget } from '../api/retry.js';
import { callTokenEndpoint } from '../api/token-endpoint.js';
import type { Settings } from '../config/settings.js';
import { AuthError, UsageError } from '../errors.js';
import { appErrorHint, appFromSettings, requireSecretForJwt } from './app.js';
import { completeSignIn, readPrevious } from './complete-sign-in.js';
import type { AuthDeps, StoredSession } from './token-store.js';

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

async function exchangeJwt(deps: AuthDeps, platform: Platform, jwt: string, server: string): Promise<void> {
  try {
    await callTokenEndpoint('signing in', () => platform.login({ jwt }), {
      budget: deps.budget ?? new WaitBudget(300_000),
      logger: deps.logger,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  } catch (error) {
    const failure = await readFailure(error);
    const appHint = appErrorHint(failure.error, 'jwt');
    if (appHint) throw new AuthError(`RingCentral refused the app: ${failure.message} (${failure.code ?? failure.error})`, appHint);
    if (failure.error) {
      throw new AuthError(
        `RingCentral refused the JWT: ${failure.message} (${failure.code ?? failure.error})`,
        'check that the JWT belongs to this app and server, and has not expired or been revoked',
      );
    }
    throw await toCliError(error, server);
  }
}

/**
 * Exchanges the JWT and stores the session exactly like a browser login. `alreadyLocked`: the
 * caller holds the store's lock and says which session is replaced (the environment-credential
 * cache does).
 */
export async function loginWithJwt(
  deps: AuthDeps,
  jwt: string,
  locked?: { alreadyLocked: true; previous: StoredSession | undefined },
): Promise<StoredSession> {
  const app = appFromSettings(deps.settings);
  requireSecretForJwt(deps.settings);
  const alreadyLocked = locked?.alreadyLocked ?? false;
  const previous = locked ? locked.previous : readPrevious(deps);
  const platform = await platformFor(app, deps.logger);
  await exchangeJwt(deps, platform, jwt, app.server);
  return completeSignIn(deps, { platform, clientId: app.clientId, grant: 'jwt', previous, alreadyLocked, jwt });
}
