import { loginWithBrowser } from '../auth/login-flow.js';
import type { StoredSession } from '../auth/token-store.js';
import type { CommandContext } from '../context.js';
import { interruptSignal } from '../interrupt.js';

export interface LoginOptions {
  browser: boolean;
  timeout: number;
  input?: NodeJS.ReadableStream;
}

/** `ringcentral login`: browser sign-in; Ctrl-C closes the listener and changes nothing. */
export async function login(ctx: CommandContext, options: LoginOptions): Promise<StoredSession> {
  const session = await loginWithBrowser({
    settings: ctx.settings,
    store: ctx.store,
    logger: ctx.logger,
    env: ctx.env,
    input: options.input ?? process.stdin,
    signal: interruptSignal(),
    timeoutSeconds: options.timeout,
    noBrowser: !options.browser,
  });
  const { user } = session;
  ctx.logger.success(
    `Logged in to ${session.server} as ${user.name} (extension ${user.extensionNumber}), account ${user.accountId}` +
      ` [profile ${ctx.settings.profile}]`,
  );
  return session;
}
