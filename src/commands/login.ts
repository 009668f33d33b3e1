import { loginWithJwt, readJwt, usesEnvJwt } from '../auth/jwt-login.js';
import { loginWithBrowser } from '../auth/login-flow.js';
import type { StoredSession } from '../auth/token-store.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';

export interface LoginOptions {
  browser: boolean;
  timeout: number;
  jwt?: boolean;
  jwtFile?: string;
  /** A person is present even though there is no terminal (tests, IDE task runners). */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
}

/** No TTY, or CI=true: nobody is there to finish a browser sign-in. */
export function isNonInteractive(
  env: NodeJS.ProcessEnv,
  stdin: { isTTY?: boolean } = process.stdin,
  stderr: { isTTY?: boolean } = process.stderr,
): boolean {
  return env.CI === 'true' || env.CI === '1' || !stdin.isTTY || !stderr.isTTY;
}

/** `ringcentral login`: browser sign-in (Ctrl-C changes nothing), or `--jwt` for scripts and servers. */
export async function login(ctx: CommandContext, options: LoginOptions): Promise<StoredSession> {
  const input = options.input ?? process.stdin;
  let session: StoredSession;
  if (options.jwt || options.jwtFile !== undefined) {
    const jwt = await readJwt(options.jwtFile, ctx.settings, input);
    ctx.store.ensureWritable();
    session = await loginWithJwt({ settings: ctx.settings, store: ctx.store, logger: ctx.logger }, jwt);
  } else {
    if (isNonInteractive(ctx.env) && !options.interactive) {
      throw new UsageError(
        'not starting a browser sign-in without a terminal (no TTY, or CI=true)',
        'in scripts and CI use "ringcentral login --jwt" with RC_JWT; if a person is at this machine, add --interactive',
      );
    }
    if (usesEnvJwt(ctx.settings)) ctx.logger.warn('RC_JWT is set: other commands will use it and ignore this saved login');
    session = await loginWithBrowser({
      settings: ctx.settings,
      store: ctx.store,
      logger: ctx.logger,
      env: ctx.env,
      input,
      signal: interruptSignal(),
      timeoutSeconds: options.timeout,
      noBrowser: !options.browser,
    });
  }
  const { user } = session;
  ctx.logger.success(
    `Logged in to ${session.server} as ${user.name} (extension ${user.extensionNumber}), account ${user.accountId}` +
      ` [profile ${ctx.settings.profile}]`,
  );
  return session;
}
