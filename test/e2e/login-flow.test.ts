import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv } from '../helpers/env.js';
import {
  AUTHORIZE_URL,
  authorizeRedirect,
  type LoginSetup,
  loginArgs,
  loginSetup,
  loginWithoutBrowser,
  startLogin,
} from '../helpers/login.js';

/** Login edge cases, driven over HTTP against an --auto-approve emulator (the browser test covers the pages). */

const emulator = await useEmulator({ autoApprove: true });

const setup = (host = 'localhost'): Promise<LoginSetup> => loginSetup(emulator, host);

/** The local addresses (kernel hex form) listening on a TCP port, from /proc/net/tcp{,6}. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A')
      .map((cols) => cols[1]?.split(':')[0] ?? ''),
  );
}

/** Resolves when the port can be bound again (the listener let go of it). */
function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

describe('login listener', () => {
  it('completes over IPv4 (127.0.0.1) for a localhost redirect URI, and frees the port', async () => {
    const s = await setup();
    const result = await loginWithoutBrowser(s, '127.0.0.1');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(await canBind(s.port));
    assert.ok(await canBind(s.port, '::1'));
  });

  it('completes over IPv6 ([::1]) for a localhost redirect URI', async () => {
    const s = await setup();
    const result = await loginWithoutBrowser(s, '[::1]');
    assert.equal(result.code, 0, result.stderr);
  });

  it('listens on 127.0.0.1 and ::1 only, never on all interfaces', async () => {
    const s = await setup();
    const cli = startLogin(s);
    await cli.waitForStderr(/Waiting for the sign-in/);
    assert.deepEqual(listeningAddresses(s.port).sort(), ['00000000000000000000000001000000', '0100007F']);
    cli.child.kill('SIGINT');
    await cli.done;
  });

  it('ignores a wrong state (400) and other requests, then succeeds with exactly one token request', async () => {
    const s = await setup();
    const before = await stats(emulator);
    const cli = startLogin(s);
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const location = await authorizeRedirect(url);
    const base = `http://127.0.0.1:${s.port}`;
    const forged = new URL(location);
    forged.hostname = '127.0.0.1';
    forged.searchParams.set('state', 'attacker');
    const wrong = await fetch(forged);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get('cache-control'), 'no-store');
    assert.equal(wrong.headers.get('referrer-policy'), 'no-referrer');
    assert.equal((await fetch(`${base}/oauth2callback`, { method: 'OPTIONS' })).status, 204);
    assert.equal((await fetch(`${base}/oauth2callback`, { method: 'HEAD' })).status, 405);
    assert.equal((await fetch(`${base}/favicon.ico`)).status, 404);
    assert.equal((await fetch(`${base}/other`)).status, 404);
    location.hostname = '127.0.0.1';
    const good = await fetch(location, { redirect: 'manual' });
    assert.equal(good.status, 303);
    assert.equal(good.headers.get('location'), '/success');
    const page = await fetch(`${base}/success`);
    assert.match(await page.text(), /Signed in to RingCentral/);
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    const after = await stats(emulator);
    assert.equal(after.tokenGrants.authorization_code, (before.tokenGrants.authorization_code ?? 0) + 1);
  });

  it('an error callback is HTML-escaped in the page and reported on the terminal', async () => {
    const s = await setup();
    const cli = startLogin(s);
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const state = new URL(url).searchParams.get('state') ?? '';
    const res = await fetch(
      `http://127.0.0.1:${s.port}/oauth2callback?error=server_error&error_description=${encodeURIComponent('<script>alert(1)</script>')}&state=${state}`,
    );
    assert.equal(res.url, `http://127.0.0.1:${s.port}/failure`);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&#60;script&#62;/);
    const result = await cli.done;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /sign-in failed: server_error: <script>alert\(1\)<\/script>/);
  });

  it('a port in use fails at once, names the port and the usual culprit, and opens nothing', async () => {
    const s = await setup();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(s.port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const result = await runCli(loginArgs(s), {
        env: cliEnv(s.configDir, { BROWSER: 'false-browser-that-must-not-run' }),
        cwd: s.configDir,
      });
      assert.ok(Date.now() - started < 5000);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`port ${s.port} is already in use`));
      assert.match(result.stderr, /AirPlay/);
      assert.match(result.stderr, /--redirect-uri/);
      assert.doesNotMatch(result.stderr, /authorize\?/);
      assert.doesNotMatch(result.stderr, /browser/i);
    } finally {
      blocker.close();
    }
  });

  it('times out with a clear message and frees the port', async () => {
    const s = await setup();
    const result = await runCli(loginArgs(s, ['--timeout', '1']), { env: cliEnv(s.configDir), cwd: s.configDir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /timed out after 1 s waiting for the sign-in/);
    assert.ok(await canBind(s.port));
  });

  it('Ctrl-C exits 130, closes the listener and changes nothing', async () => {
    const s = await setup();
    const first = await loginWithoutBrowser(s);
    assert.equal(first.code, 0);
    const file = join(s.configDir, 'profiles', 'default.json');
    const saved = readFileSync(file, 'utf8');
    const cli = startLogin(s);
    await cli.waitForStderr(/Waiting for the sign-in/);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    assert.equal(result.code, 130, `${result.signal} ${result.stderr}`);
    assert.match(result.stderr, /login cancelled; nothing was changed/);
    assert.equal(readFileSync(file, 'utf8'), saved);
    assert.ok(await canBind(s.port));
  });

  it('accepts the final redirect URL pasted into the terminal (--no-browser), and rejects a wrong state', async () => {
    const s = await setup();
    const cli = startLogin(s, ['--no-browser']);
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    await cli.waitForStderr(/Waiting for the sign-in/);
    assert.match(cli.stderr(), /Not opening a browser \(--no-browser\)/);
    const location = await authorizeRedirect(url);
    const forged = new URL(location);
    forged.searchParams.set('state', 'nope');
    cli.child.stdin.write(`${forged}\n`);
    await cli.waitForStderr(/state mismatch/);
    cli.child.stdin.write(`${location}\n`);
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Logged in/);
  });

  it('a new login ends the session it replaces (revoked by the CLI, not left to the session limit)', async () => {
    const own = await useEmulator({ autoApprove: true });
    const s = await loginSetup(own);
    assert.equal((await loginWithoutBrowser(s)).code, 0);
    const second = await loginWithoutBrowser(s);
    assert.equal(second.code, 0);
    assert.match(second.stderr, /Ended the previous session/);
    const after = await stats(own);
    assert.deepEqual([after.revocations, after.activeSessions, after.sessionsEnded], [1, 1, 0]);
  });

  it('--debug logs requests but never a code, verifier or token', async () => {
    const s = await setup();
    const cli = startLogin(s, ['--debug']);
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const location = await authorizeRedirect(url);
    location.hostname = '127.0.0.1';
    await fetch(location);
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /debug: → POST http:\/\/127\.0\.0\.1:\d+\/restapi\/oauth\/token/);
    const saved = JSON.parse(readFileSync(join(s.configDir, 'profiles', 'default.json'), 'utf8'));
    const secrets = [location.searchParams.get('code') ?? 'x', saved.tokens.access_token, saved.tokens.refresh_token];
    const token = await runCli(['token', '--debug'], { env: cliEnv(s.configDir), cwd: s.configDir });
    for (const secret of secrets) {
      assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret));
      assert.ok(!token.stderr.includes(secret));
    }
    assert.equal(JSON.stringify(saved).includes('code_verifier'), false);
  });
});
