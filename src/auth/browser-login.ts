import { readFailure, toCliError } from '../api/errors.js';
import { type Platform, platformFor } from '../api/platform.js';
import type { Settings } from '../config/settings.js';
import { CliError, InterruptedError } from '../errors.js';
import { appErrorHint, appFromSettings } from './app.js';
import { type BrowserResult, openBrowser } from './browser.js';
import { startCallbackServer } from './callback-server.js';
import { completeSignIn, readPrevious } from './complete-sign-in.js';
import type { Pkce } from './pkce.js';
import type { AuthDeps, StoredSession } from './token-store.js';

/** Authorization code + PKCE through the system browser and a loopback listener (RFC 8252). */

export interface LoginDeps extends AuthDeps {
  env: NodeJS.ProcessEnv;
  input: NodeJS.ReadableStream;
  signal: AbortSignal;
  timeoutSeconds: number;
  noBrowser: boolean;
  open?: (url: string) => Promise<BrowserResult>;
}

export function authorizeUrl(settings: Settings, clientId: string, pkce: Pkce, state: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: settings.redirectUri.value,
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: pkce.method,
  });
  return `${settings.server.value}/restapi/oauth/authorize?${params}`;
}

export async function loginWithBrowser(deps: LoginDeps): Promise<StoredSession> {
  const { settings, logger } = deps;
  const app = appFromSettings(settings);
  const { clientId } = app;
  deps.store.ensureWritable();
  const previous = readPrevious(deps);
  // PKCE (node:crypto) and the line reader are loaded by login alone.
  const { createPkce, createState } = await import('./pkce.js');
  const pkce = createPkce();
  const state = createState();
  const platform = await platformFor(app, logger);
  let saved: StoredSession | undefined;
  const callback = await startCallbackServer({
    redirectUri: settings.redirectUri.value,
    state,
    onCode: async (code) => {
      await exchangeCode(deps, platform, code, pkce);
      saved = await completeSignIn(deps, { platform, clientId, grant: 'authorization_code', previous });
    },
  });
  const url = authorizeUrl(settings, clientId, pkce, state);
  const stopReading = await readPastedUrls(deps, callback.submit);
  try {
    logger.info(`To sign in, open this address in a browser:\n\n  ${url}\n`);
    await announceBrowser(deps, url);
    logger.info(`Waiting for the sign-in (up to ${deps.timeoutSeconds} s; Ctrl-C to cancel)...`);
    await waitFor(callback.result, deps, url);
  } finally {
    stopReading();
    await callback.close();
  }
  if (!saved) throw new CliError('sign-in finished without a session');
  return saved;
}

async function announceBrowser(deps: LoginDeps, url: string): Promise<void> {
  if (deps.noBrowser) {
    deps.logger.info('Not opening a browser (--no-browser). Open the address above on any machine.');
    deps.logger.info(pasteHint(deps));
    return;
  }
  const result = await (deps.open ?? ((u) => openBrowser(u, { env: deps.env, platform: process.platform })))(url);
  if (result.opened) {
    deps.logger.info('Opened your browser.');
    return;
  }
  deps.logger.warn(`no browser was opened: ${result.reason}. Open the address above yourself.`);
  if (result.ssh) {
    const port = new URL(deps.settings.redirectUri.value).port;
    deps.logger.info(`From your own machine, forward the port first: ssh -L ${port}:127.0.0.1:${port} <this host>`);
  }
  deps.logger.info(pasteHint(deps));
}

function pasteHint(deps: LoginDeps): string {
  return `If the browser cannot reach this machine, paste the address it ends on (${deps.settings.redirectUri.value}?code=...) here and press Enter; be quick, codes expire in 60 s.`;
}

/** Lets a user paste the final redirect URL into the terminal (logins from another machine). */
async function readPastedUrls(deps: LoginDeps, submit: (url: string) => Promise<string>): Promise<() => void> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: deps.input, terminal: false });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    void submit(line).then((outcome) => {
      if (outcome === 'wrong-state') deps.logger.warn('that address belongs to another login attempt (state mismatch); ignored');
      if (outcome === 'not-a-callback') deps.logger.warn(`that is not a ${deps.settings.redirectUri.value} address with a code; ignored`);
    });
  });
  return () => lines.close();
}

/** Waits for the callback, the timeout or Ctrl-C, whichever comes first; leaves no timer behind. */
async function waitFor(result: Promise<void>, deps: LoginDeps, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new CliError(`timed out after ${deps.timeoutSeconds} s waiting for the sign-in in the browser`, {
          hint: `run "ringcentral login" again (or raise --timeout) and finish at ${url.split('?')[0]}`,
        }),
      );
    }, deps.timeoutSeconds * 1000);
  });
  const interrupted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError('login cancelled; nothing was changed'));
    if (deps.signal.aborted) onAbort();
    deps.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([result, timeout, interrupted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) deps.signal.removeEventListener('abort', onAbort);
  }
}

/** Runs inside the callback handler, before the user's browser is told anything. */
async function exchangeCode(deps: LoginDeps, platform: Platform, code: string, pkce: Pkce): Promise<void> {
  const { settings } = deps;
  try {
    await platform.login({ code, code_verifier: pkce.verifier, redirect_uri: settings.redirectUri.value });
  } catch (error) {
    const failure = await readFailure(error);
    const hint = appErrorHint(failure.error, 'authorization_code');
    if (failure.error) throw new CliError(`RingCentral refused the authorization code: ${failure.message} (${failure.error})`, { hint });
    throw await toCliError(error, settings.server.value);
  }
}
