import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { APP, EmulatorClient } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';
import { AUTHORIZE_URL, authorizeRedirect, loginSetup, loginWithoutBrowser, startLogin } from '../helpers/login.js';

/** The CLI on the platform as RingCentral documents it, not a convenient one (issue: the real platform). */

const SECRET = { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };

/** Makes the saved access token look expired (the CLI trusts the saved expiry, as the docs advise). */
function expireSavedToken(file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  saved.tokens.expire_time = Date.now() - 1000;
  writeFileSync(file, JSON.stringify(saved));
}

describe('apps that issue no refresh tokens (the platform default)', () => {
  it('a browser session says at once that it ends in about an hour, and ends with exit 4 and the same hint, never a 1970 date', async () => {
    const emulator = await useEmulator({ autoApprove: true, refreshTokens: false });
    const setup = await loginSetup(emulator);
    const login = await loginWithoutBrowser(setup);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /ends in about an hour .*the app does not issue refresh tokens/);
    assert.match(login.stderr, /Issue refresh tokens/);
    const env = cliEnv(setup.configDir);
    const status = await runCli(['status', '--json'], { env, cwd: setup.configDir });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).refreshable, false);
    expireSavedToken(join(setup.configDir, 'profiles', 'default.json'));
    const token = await runCli(['token'], { env, cwd: setup.configDir });
    assert.equal(token.code, 4);
    assert.match(token.stderr, /the session ended at 20\d\d-.*does not issue refresh tokens/);
    assert.match(token.stderr, /hint: turn on "Issue refresh tokens"/);
    assert.doesNotMatch(token.stderr + status.stdout, /1970/);
  });

  it('a JWT profile signs in again with its JWT when the access token ends: one exchange, the old session ended', async () => {
    const emulator = await useEmulator({ refreshTokens: false });
    const dir = tempDir();
    const env = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url });
    const login = await runCli(['login', '--jwt'], { env: { ...env, RC_JWT: emulator.jwt }, cwd: dir });
    assert.equal(login.code, 0, login.stderr);
    const first = (await runCli(['token'], { env, cwd: dir })).stdout;
    expireSavedToken(join(dir, 'profiles', 'default.json'));
    const second = await runCli(['token'], { env, cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.notEqual(second.stdout, first);
    assert.equal((await runCli(['token'], { env, cwd: dir })).stdout, second.stdout, 'one exchange per token life');
    const after = await stats(emulator);
    assert.deepEqual([after.tokenGrants['jwt-bearer'], after.revocations, after.activeSessions], [2, 1, 1]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'profiles', 'default.json'), 'utf8')).tokens.refresh_token, '');
  });

  it('environment credentials: 20 commands cost one exchange; an ended token costs one more and leaks no session', async () => {
    const emulator = await useEmulator({ refreshTokens: false });
    const dir = tempDir();
    const env = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url, RC_JWT: emulator.jwt });
    for (let i = 0; i < 20; i++) assert.equal((await runCli(['token'], { env, cwd: dir })).code, 0);
    assert.equal((await stats(emulator)).tokenGrants['jwt-bearer'], 1);
    const status = JSON.parse((await runCli(['status', '--json'], { env, cwd: dir })).stdout) as { tokenFile: string };
    expireSavedToken(status.tokenFile);
    assert.equal((await runCli(['token'], { env, cwd: dir })).code, 0);
    const after = await stats(emulator);
    assert.deepEqual([after.tokenGrants['jwt-bearer'], after.activeSessions], [2, 1]);
  });
});

describe('server-side and client-side apps', () => {
  it('a JWT sign-in without the client secret is a usage error before any request, naming RC_CLIENT_SECRET', async () => {
    const emulator = await useEmulator();
    const dir = tempDir();
    for (const env of [
      cliEnv(dir, { RC_CLIENT_ID: APP.clientId, RC_SERVER_URL: emulator.url, RC_JWT: emulator.jwt }),
      cliEnv(dir, { RC_CLIENT_ID: APP.clientId }),
    ]) {
      const args = env.RC_SERVER_URL ? ['token'] : ['login', '--jwt', '--server', emulator.url];
      const result = await runCli(args, { env: { ...env, RC_JWT: emulator.jwt }, cwd: dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /needs the app's client secret: set RC_CLIENT_SECRET/);
    }
    assert.equal((await stats(emulator)).requests, 0);
  });

  it('a server-side app without its secret: the browser sign-in is refused with a hint about the app type', async () => {
    const emulator = await useEmulator({ autoApprove: true });
    const cli = startLogin(await loginSetup(emulator), [], { RC_CLIENT_SECRET: undefined });
    const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
    const location = await authorizeRedirect(url);
    location.hostname = '127.0.0.1';
    await fetch(location);
    const result = await cli.done;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /refused the authorization code: Client authentication is required \(invalid_client\)/);
    assert.match(result.stderr, /hint: a server-side web app must send its secret: set RC_CLIENT_SECRET/);
  });

  it('a client-side app signs in, refreshes and logs out without any secret', async () => {
    const emulator = await useEmulator({ autoApprove: true, appType: 'client-side' });
    const setup = await loginSetup(emulator);
    const login = await loginWithoutBrowser(setup, '127.0.0.1', { RC_CLIENT_SECRET: undefined });
    assert.equal(login.code, 0, login.stderr);
    const env = cliEnv(setup.configDir);
    await fetch(`${emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
    const status = await runCli(['status'], { env, cwd: setup.configDir });
    assert.equal(status.code, 0, status.stderr);
    assert.equal((await stats(emulator)).tokenGrants.refresh_token, 1);
    assert.equal((await runCli(['logout'], { env, cwd: setup.configDir })).code, 0);
    assert.equal((await stats(emulator)).revocations, 1);
  });

  it('a grant the app is not enabled for gets a hint about the app settings, not about the JWT', async () => {
    const emulator = await useEmulator({ appGrants: ['authorization_code'] });
    const dir = tempDir();
    const jwt = await new EmulatorClient(emulator.url).jwt();
    const result = await runCli(['login', '--jwt', '--server', emulator.url], { env: cliEnv(dir, { ...SECRET, RC_JWT: jwt }), cwd: dir });
    assert.equal(result.code, 4);
    assert.match(result.stderr, /unauthorized_client|Unauthorized for this grant type/);
    assert.match(result.stderr, /hint: enable the JWT auth flow for this app/);
  });
});

describe('a bad minute of the token endpoint', () => {
  it('429, 503, 500 and dropped connections while refreshing during a 20k-record export: waited out, 0 lost, 0 doubled, exit 0', async () => {
    const emulator = await useEmulator({
      autoApprove: true,
      callLog: 20_000,
      accessTokenTtl: 2,
      authFaults: [
        { kind: 429, probability: 0.1 },
        { kind: 503, probability: 0.1 },
        { kind: 500, probability: 0.04 },
        { kind: 'reset', probability: 0.04 },
      ],
    });
    const setup = await loginSetup(emulator);
    const login = await loginWithoutBrowser(setup);
    assert.equal(login.code, 0, login.stderr);
    const from = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const result = await runCli(
      ['call-log', '--scope', 'account', '--from', from, '-f', 'ndjson', '--page-size', '1000', '--max-wait', '600'],
      {
        env: cliEnv(setup.configDir),
        cwd: setup.configDir,
        timeoutMs: 240_000,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    assert.equal(ids.length, 20_000);
    assert.equal(new Set(ids).size, 20_000, 'nothing doubled');
    const seen = await stats(emulator);
    assert.ok(Number(seen.authFaults) >= 3, `faults were injected (${seen.authFaults})`);
    assert.ok(Number(seen.tokenGrants.refresh_token) >= 10, 'the export refreshed as it went');
    for (const said of [
      /answered 429; trying again in 2 s/,
      /answered 503; trying again in 1 s/,
      /answered 500; trying again in 10 s/,
      /connection failed \(\w+\); trying again in 10 s/,
    ]) {
      assert.match(result.stderr, said);
    }
  });
});

describe('the call log scope follows the FullCompanyCallLog permission, not the admin flag', () => {
  for (const [number, company] of [
    ['101', true],
    ['102', false],
    ['103', false],
    ['104', true],
  ] as const) {
    it(`${number}: the default export is ${company ? "the company's" : 'the user’s own'} call log`, async () => {
      const emulator = await useEmulator({ callLog: 400 });
      const dir = tempDir();
      const client = new EmulatorClient(emulator.url);
      const env = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url, RC_JWT: await client.jwt(number) });
      const result = await runCli(['call-log', '--from', '31d', '-f', 'ndjson', '--fields', 'id,extension.id'], { env, cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const records = result.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { extension: { id: number } });
      const owners = new Set(records.map((r) => r.extension.id));
      if (company) {
        assert.ok(owners.size > 1, 'calls of several extensions');
        assert.doesNotMatch(result.stderr, /Exporting your own calls/);
      } else {
        assert.ok(owners.size <= 1, 'only the user’s own calls');
        assert.match(
          result.stderr,
          /Exporting your own calls: this user may not read the company call log \(it needs the FullCompanyCallLog permission\)/,
        );
      }
      if (!company) {
        const insist = await runCli(['call-log', '--scope', 'account', '--from', '31d'], { env, cwd: dir });
        assert.equal(insist.code, 4, insist.stderr);
        assert.match(insist.stderr, /hint: reading the company's call log needs the user permission FullCompanyCallLog/);
      }
    });
  }
});

describe('pacing by rate-limit group', () => {
  it('canonical navigation links (numeric ids) stay paced: 30 pages under heavy=10/2 without a single 429', async () => {
    const emulator = await useEmulator({ callLog: 3000, rateLimits: parseRateLimits('heavy=10/2') });
    const dir = tempDir();
    const env = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url, RC_JWT: emulator.jwt });
    const result = await runCli(
      ['call-log', '--scope', 'account', '--from', '31d', '--page-size', '100', '-f', 'ndjson', '--fields', 'id'],
      {
        env,
        cwd: dir,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 3000);
    assert.equal((await stats(emulator)).throttled, 0);
  });
});

describe('session hygiene under the platform limit of 5 sessions per user and app', () => {
  it('3 cron-style profiles plus 20 runs with environment credentials never end a session the CLI still uses', async () => {
    const emulator = await useEmulator({ sessionLimit: 5 });
    const dir = tempDir();
    const base = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url });
    for (const profile of ['nightly', 'hourly', 'weekly']) {
      for (let again = 0; again < 2; again++) {
        const login = await runCli(['login', '--jwt', '--profile', profile], { env: { ...base, RC_JWT: emulator.jwt }, cwd: dir });
        assert.equal(login.code, 0, login.stderr);
      }
    }
    for (let i = 0; i < 20; i++) {
      const run = await runCli(['status', '--json'], { env: { ...base, RC_JWT: emulator.jwt }, cwd: dir });
      assert.equal(run.code, 0, run.stderr);
    }
    for (const profile of ['nightly', 'hourly', 'weekly']) {
      const status = await runCli(['status', '--profile', profile], { env: base, cwd: dir });
      assert.equal(status.code, 0, `${profile}: ${status.stderr}`);
      assert.match(status.stdout, /Checked with server:\s+yes/);
    }
    const seen = await stats(emulator);
    assert.deepEqual([seen.sessionsEnded, seen.activeSessions, seen.revocations], [0, 4, 3]);
  });
});
