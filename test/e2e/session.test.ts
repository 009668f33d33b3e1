import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { BASIC, stats } from '../helpers/emulator.js';
import { signedIn } from '../helpers/signed-in.js';

/** Refresh, expiry and the token store, across real CLI processes. */

describe('refresh', () => {
  it('20 commands at once after the server expires every token: all succeed with exactly one refresh', async () => {
    const s = await signedIn();
    await fetch(`${s.emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
    const results = await Promise.all(Array.from({ length: 20 }, () => runCli(['status', '--json'], { env: s.env, cwd: s.configDir })));
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).verified, true);
    }
    const after = await stats(s.emulator);
    assert.equal(after.tokenGrants.refresh_token, 1);
    assert.equal(after.activeSessions, 1);
    assert.equal(statSync(s.tokenFile).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(s.tokenFile, 'utf8'));
    const me = await fetch(`${s.emulator.url}/restapi/v1.0/account/~`, {
      headers: { Authorization: `Bearer ${saved.tokens.access_token}` },
    });
    assert.equal(me.status, 200, 'the store ends with the newest tokens');
  });

  it('refreshes proactively when the access token expires within a minute', async () => {
    const s = await signedIn({ accessTokenTtl: 30 });
    const before = JSON.parse(readFileSync(s.tokenFile, 'utf8')).tokens;
    const token = await runCli(['token'], { env: s.env, cwd: s.configDir });
    assert.equal(token.code, 0, token.stderr);
    assert.notEqual(token.stdout.trim(), before.access_token);
    assert.equal((await stats(s.emulator)).tokenGrants.refresh_token, 1);
    const saved = JSON.parse(readFileSync(s.tokenFile, 'utf8')).tokens;
    assert.equal(saved.access_token, token.stdout.trim());
    assert.notEqual(saved.refresh_token, before.refresh_token);
  });

  it('an expired session fails fast (exit 4, with the date) and sends nothing', async () => {
    const s = await signedIn({ refreshTokenTtl: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = await stats(s.emulator);
    for (const command of [['token'], ['status']]) {
      const result = await runCli(command, { env: s.env, cwd: s.configDir });
      assert.equal(result.code, 4);
      assert.match(result.stderr, /session expired on \d{4}-\d\d-\d\dT/);
      assert.match(result.stderr, /ringcentral login/);
    }
    assert.equal((await stats(s.emulator)).requests, before.requests);
  });

  it('a session revoked elsewhere: exit 4 with a hint, and the store is kept', async () => {
    const s = await signedIn();
    const saved = JSON.parse(readFileSync(s.tokenFile, 'utf8'));
    await fetch(`${s.emulator.url}/restapi/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BASIC },
      body: new URLSearchParams({ token: saved.tokens.refresh_token }),
    });
    const result = await runCli(['status'], { env: s.env, cwd: s.configDir });
    assert.equal(result.code, 4);
    assert.match(result.stderr, /revoked or has expired/);
    assert.equal(readFileSync(s.tokenFile, 'utf8'), JSON.stringify(saved, null, '\t'));
  });

  it('tokens are never sent to another server than the one they came from', async () => {
    const s = await signedIn();
    const result = await runCli(['token', '--server', 'https://platform.ringcentral.com'], { env: s.env, cwd: s.configDir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /signed in to http:\/\/127\.0\.0\.1:\d+, not https:\/\/platform\.ringcentral\.com/);
  });
});

describe('token store', () => {
  it('a damaged file is an error naming it, never a silent logout; logout removes it', async () => {
    const s = await signedIn();
    writeFileSync(s.tokenFile, '{"version":1,"tokens":');
    const status = await runCli(['status'], { env: s.env, cwd: s.configDir });
    assert.equal(status.code, 1);
    assert.equal(status.stderr.split('\n')[0], `ringcentral: the token file ${s.tokenFile} is damaged and cannot be read`);
    assert.match(status.stderr, /hint: delete it/);
    assert.equal(readFileSync(s.tokenFile, 'utf8'), '{"version":1,"tokens":');
    const logout = await runCli(['logout'], { env: s.env, cwd: s.configDir });
    assert.equal(logout.code, 0);
    const again = await runCli(['status', '--json'], { env: s.env, cwd: s.configDir });
    assert.equal(again.code, 4);
  });

  it('logout deletes local tokens even when the revoke call fails', async () => {
    const s = await signedIn();
    await s.emulator.close();
    const logout = await runCli(['logout'], { env: s.env, cwd: s.configDir });
    assert.equal(logout.code, 0);
    assert.match(logout.stderr, /warning: could not revoke the session/);
    assert.match(logout.stderr, /Logged out/);
    const status = await runCli(['status', '--json', '--offline'], { env: s.env, cwd: s.configDir });
    assert.deepEqual(JSON.parse(status.stdout), { loggedIn: false });
  });

  it('profiles are separate stores', async () => {
    const s = await signedIn();
    const other = await runCli(['status', '--json', '--profile', 'work'], { env: s.env, cwd: s.configDir });
    assert.equal(other.code, 4);
    const byEnv = await runCli(['status', '--json', '--offline'], { env: { ...s.env, RC_PROFILE: 'default' }, cwd: s.configDir });
    assert.equal(byEnv.code, 0);
  });
});
