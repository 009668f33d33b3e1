import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { APP, EmulatorClient } from '../../emulator/client.js';
import type { EmulatorOptions } from '../../emulator/options.js';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';
import { loginSetup, loginWithoutBrowser } from '../helpers/login.js';

/** `ringcentral doctor` on a healthy setup and on each broken one. */

interface Check {
  check: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

const SECRET = { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };

/** A JWT profile signed in against an emulator with these options, as user `extensionNumber`. */
async function jwtProfile(options: Partial<EmulatorOptions> = {}, extensionNumber = '101') {
  const emulator = await useEmulator(options);
  const dir = tempDir();
  const env = cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url });
  const jwt = await new EmulatorClient(emulator.url).jwt(extensionNumber);
  const login = await runCli(['login', '--jwt'], { env: { ...env, RC_JWT: jwt }, cwd: dir });
  assert.equal(login.code, 0, login.stderr);
  return { emulator, dir, env };
}

async function doctor(env: Record<string, string | undefined>, cwd: string, extra: string[] = []) {
  const result = await runCli(['doctor', '--json', ...extra], { env, cwd });
  return { ...result, checks: JSON.parse(result.stdout || '[]') as Check[] };
}

const stateOf = (checks: Check[], name: string) => checks.find((c) => c.check === name)?.state;

describe('ringcentral doctor', () => {
  it('a healthy setup: every check passes, exit 0, and nothing saved changes', async () => {
    const { emulator, dir, env } = await jwtProfile();
    const file = join(dir, 'profiles', 'default.json');
    const before = readFileSync(file, 'utf8');
    const grants = (await stats(emulator)).tokenGrants;
    const result = await doctor(env, dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.checks.filter((c) => c.state !== 'ok'),
      [],
    );
    for (const name of [
      'server',
      'client id',
      'client secret',
      'JWT sign-in',
      'signed in',
      'refresh tokens',
      'app permissions',
      'company call log',
      'rate limits',
    ]) {
      assert.equal(stateOf(result.checks, name), 'ok', name);
    }
    assert.equal(readFileSync(file, 'utf8'), before, 'the profile is untouched');
    assert.deepEqual((await stats(emulator)).tokenGrants, grants, 'no sign-in, no refresh');
    const text = await runCli(['doctor'], { env, cwd: dir });
    assert.match(text.stdout, /^✓ server: /m);
    assert.match(text.stdout, /^✓ company call log: .*FullCompanyCallLog/m);
  });

  it('an unreachable server fails first, with a hint', async () => {
    const dir = tempDir();
    const result = await doctor(cliEnv(dir, { ...SECRET, RC_SERVER_URL: 'http://127.0.0.1:9' }), dir);
    assert.equal(result.code, 1);
    assert.equal(stateOf(result.checks, 'server'), 'fail');
    assert.match(result.stderr, /doctor: 1 check failed/);
  });

  it('JWT credentials without the secret; a wrong secret; the JWT flow disabled', async () => {
    const { emulator, dir } = await jwtProfile();
    const fresh = tempDir();
    const noSecret = await doctor(cliEnv(fresh, { RC_CLIENT_ID: APP.clientId, RC_JWT: emulator.jwt, RC_SERVER_URL: emulator.url }), fresh);
    assert.equal(noSecret.code, 1);
    assert.equal(stateOf(noSecret.checks, 'client secret'), 'fail');
    const wrong = await doctor(cliEnv(dir, { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: 'nope', RC_SERVER_URL: emulator.url }), dir);
    assert.equal(stateOf(wrong.checks, 'JWT sign-in'), 'fail');
    assert.match(wrong.checks.find((c) => c.check === 'JWT sign-in')?.hint ?? '', /same app/);
    const disabled = await useEmulator({ appGrants: ['authorization_code'] });
    const off = await doctor(cliEnv(dir, { ...SECRET, RC_SERVER_URL: disabled.url }), dir, ['--profile', 'other']);
    assert.equal(stateOf(off.checks, 'browser sign-in'), 'ok');
    assert.equal(stateOf(off.checks, 'JWT sign-in'), 'warn', 'not used by a browser sign-in: a warning');
    assert.match(off.checks.find((c) => c.check === 'JWT sign-in')?.detail ?? '', /JWT flow is not enabled/);
  });

  it('an app without refresh tokens and a browser sign-in; missing app permissions; a user without FullCompanyCallLog', async () => {
    const noRefresh = await useEmulator({ autoApprove: true, refreshTokens: false });
    const setup = await loginSetup(noRefresh);
    assert.equal((await loginWithoutBrowser(setup)).code, 0);
    const browser = await doctor(cliEnv(setup.configDir, { RC_CLIENT_SECRET: APP.clientSecret }), setup.configDir);
    assert.equal(browser.code, 1);
    assert.equal(stateOf(browser.checks, 'refresh tokens'), 'fail');
    assert.match(browser.checks.find((c) => c.check === 'refresh tokens')?.hint ?? '', /Issue refresh tokens/);

    const narrow = await jwtProfile({ scopes: ['ReadAccounts'] });
    const scopes = await doctor(narrow.env, narrow.dir);
    assert.equal(stateOf(scopes.checks, 'app permissions'), 'fail');
    assert.match(scopes.checks.find((c) => c.check === 'app permissions')?.detail ?? '', /missing ReadCallLog/);

    const own = await jwtProfile({}, '103');
    const admin = await doctor(own.env, own.dir);
    assert.equal(admin.code, 0, 'a warning does not fail');
    assert.equal(stateOf(admin.checks, 'company call log'), 'warn');
  });

  it('not signed in: says so, with what to run', async () => {
    const emulator = await useEmulator();
    const dir = tempDir();
    const result = await doctor(cliEnv(dir, { ...SECRET, RC_SERVER_URL: emulator.url }), dir);
    assert.equal(result.code, 1);
    assert.equal(stateOf(result.checks, 'signed in'), 'fail');
    assert.match(result.checks.find((c) => c.check === 'signed in')?.hint ?? '', /ringcentral login/);
  });
});
