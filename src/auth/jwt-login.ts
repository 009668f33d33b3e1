import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import { readFailure, toCliError } from '../api/errors.js';
import { type Platform, platformFor } from '../api/platform.js';
import type { Settings } from '../config/settings.js';
import { AuthError, UsageError } from '../errors.js';
import { appFromSettings } from './app.js';
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

async function exchangeJwt(platform: Platform, jwt: string, server: string): Promise<void> {
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

/**
 * Exchanges the JWT and stores the session exactly like a browser login. `alreadyLocked`: the
 * caller holds the store's lock (the environment-credential cache does).
 */
export async function loginWithJwt(deps: AuthDeps, jwt: string, alreadyLocked = false): Promise<StoredSession> {
  const app = appFromSettings(deps.settings);
  const previous = alreadyLocked ? undefined : readPrevious(deps);
  const platform = await platformFor(app, deps.logger);
  await exchangeJwt(platform, jwt, app.server);
  return completeSignIn(deps, { platform, clientId: app.clientId, grant: 'jwt', previous, alreadyLocked });
}
