import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';

/** Scripted use: JWT sign-in, environment credentials, and the non-interactive guard. */

const emulator = await useEmulator();
const app = { RC_SERVER_URL: emulator.url, RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };

describe('login --jwt', () => {
  it('reads RC_JWT, stores the session like a browser login, and never needs a browser', async () => {
    const dir = tempDir();
    const env = cliEnv(dir, { ...app, CI: 'true' });
    const login = await runCli(['login', '--jwt'], { env: { ...env, RC_JWT: emulator.jwt }, cwd: dir });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Logged in to .* as Alex Morgan \(extension 101\)/);
    const status = await runCli(['status', '--json'], { env, cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).source, 'jwt');
  });

  it('a profile signed in to one server is not silently signed in to another: --profile NAME, or --force', async () => {
    const dir = tempDir();
    const env = cliEnv(dir, app);
    assert.equal((await runCli(['login', '--jwt'], { env: { ...env, RC_JWT: emulator.jwt }, cwd: dir })).code, 0);
    const elsewhere = await runCli(['login', '--jwt', '--server', 'https://platform.ringcentral.com'], {
      env: { ...env, RC_JWT: emulator.jwt },
      cwd: dir,
    });
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.stderr, /profile "default" is signed in to http:\/\/127\.0\.0\.1:\d+, not https:\/\/platform\.ringcentral\.com/);
    assert.match(elsewhere.stderr, /hint: sign in there as another profile \(add --profile NAME\), or add --force/);
    const status = await runCli(['status', '--offline', '--json'], { env, cwd: dir });
    assert.equal(JSON.parse(status.stdout).server, emulator.url, 'the session is as it was');
  });

  it('reads --jwt-file PATH and --jwt-file - (standard input)', async () => {
    const dir = tempDir();
    const env = cliEnv(dir, app);
    const file = join(dir, 'jwt.txt');
    writeFileSync(file, `${emulator.jwt}\n`);
    assert.equal((await runCli(['login', '--jwt-file', file], { env, cwd: dir })).code, 0);
    const piped = await runCli(['login', '--jwt-file', '-'], { env, cwd: dir, input: emulator.jwt });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stderr, /Ended the previous session/);
  });

  it('refuses something that is not a JWT, and a JWT RingCentral does not accept', async () => {
    const dir = tempDir();
    const notJwt = await runCli(['login', '--jwt'], { env: cliEnv(dir, { ...app, RC_JWT: 'hunter2' }), cwd: dir });
    assert.equal(notJwt.code, 2);
    assert.equal(
      notJwt.stderr.split('\n')[0],
      'ringcentral: RC_JWT (from env) does not hold a JWT (expected three base64url parts separated by dots)',
    );
    const [header, payload] = emulator.jwt.split('.');
    const forged = await runCli(['login', '--jwt'], { env: cliEnv(dir, { ...app, RC_JWT: `${header}.${payload}.AAAA` }), cwd: dir });
    assert.equal(forged.code, 4);
    assert.match(forged.stderr, /RingCentral refused the JWT/);
    assert.equal((await runCli(['login', '--jwt'], { env: cliEnv(dir, app), cwd: dir })).code, 2);
  });
});

describe('environment credentials', () => {
  it('100 sequential commands with RC_JWT cost one token request, and never touch the saved login', async () => {
    const dir = tempDir();
    const env = cliEnv(dir, { ...app, RC_JWT: emulator.jwt });
    const before = await stats(emulator);
    const tokens = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const result = await runCli(['token'], { env, cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      tokens.add(result.stdout.trim());
    }
    const after = await stats(emulator);
    assert.equal(after.tokenGrants['jwt-bearer'], (before.tokenGrants['jwt-bearer'] ?? 0) + 1);
    assert.equal(after.tokenGrants.refresh_token, before.tokenGrants.refresh_token);
    assert.equal(tokens.size, 1);
    const status = await runCli(['status', '--json'], { env, cwd: dir });
    assert.equal(JSON.parse(status.stdout).source, 'env');
    assert.equal(existsSync(join(dir, 'profiles', 'default.json')), false);
  });
});

describe('non-interactive guard', () => {
  it('with CI=true or no terminal, a browser login is refused with a pointer to --jwt, and nothing listens', async () => {
    const dir = tempDir();
    for (const extra of [{ CI: 'true' }, { CI: undefined }]) {
      const result = await runCli(
        ['login', '--client-id', APP.clientId, '--server', emulator.url, '--redirect-uri', 'http://localhost:5000/oauth2callback'],
        { env: cliEnv(dir, { ...extra, BROWSER: 'false-browser-must-not-run' }), cwd: dir },
      );
      assert.equal(result.code, 2);
      assert.match(result.stderr, /not starting a browser sign-in without a terminal/);
      assert.match(result.stderr, /login --jwt/);
      assert.doesNotMatch(result.stderr, /authorize\?/);
    }
  });
});
