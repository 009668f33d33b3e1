import { loginWithBrowser } from '../auth/browser-login.js';
import { loginWithJwt, readJwt } from '../auth/jwt-login.js';
import { usesEnvJwt } from '../auth/open-session.js';
import { NO_REFRESH_HINT } from '../auth/session.js';
import { hasRefreshToken, type StoredSession } from '../auth/token-store.js';
import { checkServerTrust } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';
import type { CommandContext } from './context.js';

export interface LoginOptions {
  browser: boolean;
  timeout: number;
  jwt?: boolean;
  jwtFile?: string;
  /** A person is present even though there is no terminal (tests, IDE task runners). */
  interactive?: boolean;
  /** Replace the profile's session even though it is on another server. */
  force?: boolean;
}

/** No TTY, or CI=true: nobody is there to finish a browser sign-in. */
export function isNonInteractive(env: NodeJS.ProcessEnv, stdin: { isTTY?: boolean }, stderr: { isTTY?: boolean }): boolean {
  return env.CI === 'true' || env.CI === '1' || !stdin.isTTY || !stderr.isTTY;
}

/** `ringcentral login`: browser sign-in (Ctrl-C changes nothing), or `--jwt` for scripts and servers. */
export async function login(ctx: CommandContext, options: LoginOptions): Promise<StoredSession> {
  const { io, settings, store, logger } = ctx;
  // A .env's foreign server is refused first, for what it is; then a profile keeps its server.
  checkServerTrust(settings);
  checkSameServer(ctx, options.force ?? false);
  let session: StoredSession;
  if (options.jwt || options.jwtFile !== undefined) {
    const jwt = await readJwt(options.jwtFile, settings, io.stdin);
    store.ensureWritable();
    session = await loginWithJwt({ settings, store, logger }, jwt);
  } else {
    if (isNonInteractive(io.env, io.stdin, io.stderr) && !options.interactive) {
      throw new UsageError(
        'not starting a browser sign-in without a terminal (no TTY, or CI=true)',
        'in scripts and CI use "ringcentral login --jwt" with RC_JWT; if a person is at this machine, add --interactive',
      );
    }
    if (usesEnvJwt(settings)) logger.warn('RC_JWT is set: other commands will use it and ignore this saved login');
    session = await loginWithBrowser({
      settings,
      store,
      logger,
      env: io.env,
      input: io.stdin,
      signal: interruptSignal(),
      timeoutSeconds: options.timeout,
      noBrowser: !options.browser,
    });
  }
  const { user } = session;
  logger.success(
    `Logged in to ${session.server} as ${user.name} (extension ${user.extensionNumber}), account ${user.accountId}` +
      ` [profile ${settings.profile}]`,
  );
  if (!hasRefreshToken(session.tokens)) warnNoRefreshToken(ctx, session);
  return session;
}

/** A profile is one server's sign-in: signing it in elsewhere would silently drop that session. */
function checkSameServer({ settings, store }: CommandContext, force: boolean): void {
  let saved: StoredSession | undefined;
  try {
    saved = store.read();
  } catch {
    return; // a damaged file is replaced by a new login (that is how login repairs it)
  }
  if (!saved || force || saved.server === settings.server.value) return;
  throw new UsageError(
    `profile "${settings.profile}" is signed in to ${saved.server}, not ${settings.server.value}`,
    `sign in there as another profile (add --profile NAME), or add --force to replace this one`,
  );
}

/** RingCentral's default for a new app: no refresh tokens, so a browser sign-in lasts about an hour. */
function warnNoRefreshToken(ctx: CommandContext, session: StoredSession): void {
  const ends = new Date(session.tokens.expire_time).toISOString();
  if (session.jwt !== undefined) {
    ctx.logger.info(
      `The app issues no refresh tokens: each access token lasts about an hour (this one until ${ends}), and the JWT signs in again after it.`,
    );
    return;
  }
  ctx.logger.warn(`this session ends in about an hour (at ${ends}): the app does not issue refresh tokens`);
  ctx.logger.info(`hint: ${NO_REFRESH_HINT}`);
}
