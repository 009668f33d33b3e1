import assert from 'node:assert/strict';
import { APP } from '../../emulator/client.js';
import type { Emulator } from '../../emulator/server.js';
import { type CliResult, type RunningCli, startCli } from './cli.js';
import { cliEnv, freePort, tempDir } from './env.js';

export const AUTHORIZE_URL = /(http:\/\/\S+\/restapi\/oauth\/authorize\?\S+)/;

export interface LoginSetup {
  emulator: Emulator;
  configDir: string;
  port: number;
  redirectHost?: string;
}

/** A fresh config dir and a free loopback port registered as a redirect URI with the emulator. */
export async function loginSetup(emulator: Emulator, redirectHost = 'localhost'): Promise<LoginSetup> {
  const port = await freePort();
  emulator.allowRedirectUri(`http://${redirectHost}:${port}/oauth2callback`);
  return { emulator, configDir: tempDir(), port, redirectHost };
}

export function loginArgs(setup: LoginSetup, extra: string[] = []): string[] {
  return [
    'login',
    '--interactive',
    '--server',
    setup.emulator.url,
    '--client-id',
    APP.clientId,
    '--redirect-uri',
    `http://${setup.redirectHost ?? 'localhost'}:${setup.port}/oauth2callback`,
    ...extra,
  ];
}

/** A browser login as the README's (server-side) app, with its secret; `env` may take the secret away. */
export function startLogin(setup: LoginSetup, extra: string[] = [], env: Record<string, string | undefined> = {}): RunningCli {
  return startCli(loginArgs(setup, extra), {
    env: cliEnv(setup.configDir, { RC_CLIENT_SECRET: APP.clientSecret, ...env }),
    cwd: setup.configDir,
  });
}

/**
 * Completes a login against an --auto-approve emulator the way a browser would: open the printed
 * authorize URL, follow its redirect to the loopback listener (at `callbackHost`), follow the 303.
 */
export async function loginWithoutBrowser(
  setup: LoginSetup,
  callbackHost = '127.0.0.1',
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const cli = startLogin(setup, [], env);
  const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
  const location = await authorizeRedirect(url);
  location.hostname = callbackHost;
  const callback = await fetch(location);
  assert.equal(callback.status, 200, await callback.text());
  return cli.done;
}

/** The authorize endpoint's redirect (auto-approve), as a URL. */
export async function authorizeRedirect(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location') ?? '');
}
