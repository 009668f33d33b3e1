import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv } from '../helpers/env.js';
import { AUTHORIZE_URL, loginSetup, startLogin } from '../helpers/login.js';

/** The real thing: the built CLI, the emulator's sign-in pages, and a headless Chromium clicking through them. */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
after(() => browser?.close());

async function signIn(url: string, decision: 'authorize' | 'deny'): Promise<{ finalUrl: string; heading: string }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.fill('#email', 'demo@example.com');
    await page.fill('#password', 'demo-password');
    await page.click('#sign-in');
    await page.click(`#${decision}`);
    await page.waitForSelector('h1#success, h1#failure');
    return { finalUrl: page.url(), heading: (await page.textContent('h1')) ?? '' };
  } finally {
    await context.close();
  }
}

describe('login in a real browser', () => {
  it('signs in, then status, token and logout work', async () => {
    const emulator = await useEmulator();
    const { configDir, port } = await loginSetup(emulator);
    const cli = startLogin({ emulator, configDir, port });
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const page = await signIn(url, 'authorize');
    assert.equal(page.finalUrl, `http://localhost:${port}/success`);
    assert.equal(page.heading, 'Signed in to RingCentral');
    const login = await cli.done;
    assert.equal(login.code, 0, login.stderr);
    assert.equal(login.stdout, '');
    assert.match(login.stderr, /Logged in to http:\/\/127\.0\.0\.1:\d+ as Alex Morgan \(extension 101\), account \d+/);

    const env = cliEnv(configDir);
    const status = await runCli(['status', '--json'], { env, cwd: configDir });
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout);
    assert.equal(parsed.loggedIn, true);
    assert.equal(parsed.extensionNumber, '101');
    assert.equal(parsed.server, emulator.url);
    assert.equal(parsed.verified, true);
    assert.equal(parsed.source, 'login');
    assert.equal(parsed.tokenFile, join(configDir, 'profiles', 'default.json'));
    assert.equal(statSync(parsed.tokenFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(configDir, 'profiles')).mode & 0o777, 0o700);

    const token = await runCli(['token'], { env, cwd: configDir });
    assert.equal(token.code, 0);
    assert.match(token.stdout, /^U1BC[\w-]+\n$/);
    const me = await fetch(`${emulator.url}/restapi/v1.0/account/~/extension/~`, {
      headers: { Authorization: `Bearer ${token.stdout.trim()}` },
    });
    assert.equal(me.status, 200);

    const logout = await runCli(['logout'], { env, cwd: configDir });
    assert.equal(logout.code, 0, logout.stderr);
    assert.equal((await stats(emulator)).revocations, 1);
    assert.equal((await stats(emulator)).activeSessions, 0);
    const after = await runCli(['status', '--json'], { env, cwd: configDir });
    assert.equal(after.code, 4);
    assert.deepEqual(JSON.parse(after.stdout), { loggedIn: false });
  });

  it('Deny in the browser: exit 4, a failure page, nothing saved', async () => {
    const emulator = await useEmulator();
    const { configDir, port } = await loginSetup(emulator);
    const cli = startLogin({ emulator, configDir, port });
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const page = await signIn(url, 'deny');
    assert.equal(page.heading, 'Sign-in failed');
    const result = await cli.done;
    assert.equal(result.code, 4);
    assert.match(result.stderr, /ringcentral: access was denied in the browser/);
    assert.equal((await stats(emulator)).tokenGrants.authorization_code, 0);
    const status = await runCli(['status', '--json'], { env: cliEnv(configDir), cwd: configDir });
    assert.equal(status.code, 4);
  });
});
