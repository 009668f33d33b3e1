import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';
import { runInProcess } from '../helpers/in-process.js';

/** Commands run in-process against an in-process emulator: the whole path minus the process boundary. */

const emulator = await useEmulator({ callLog: 300 });

async function signedInDir(): Promise<{ env: Record<string, string | undefined>; cwd: string }> {
  const dir = tempDir();
  const env = cliEnv(dir, { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret });
  const login = await runInProcess(['login', '--jwt', '--server', emulator.url], { env: { ...env, RC_JWT: emulator.jwt }, cwd: dir });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stderr, /Logged in to .* as .* \(extension 101\)/);
  return { env, cwd: dir };
}

describe('commands in-process', () => {
  it('token prints the saved access token; status --offline --json describes the session without a request', async () => {
    const s = await signedInDir();
    const before = (await stats(emulator)).requests;
    const token = await runInProcess(['token'], s);
    assert.equal(token.code, 0, token.stderr);
    assert.match(token.stdout, /^U1BC\S+\n$/);
    const status = await runInProcess(['status', '--offline', '--json'], s);
    const parsed = JSON.parse(status.stdout) as { loggedIn: boolean; extensionNumber: string; server: string };
    assert.deepEqual([parsed.loggedIn, parsed.extensionNumber, parsed.server], [true, '101', emulator.url]);
    assert.equal((await stats(emulator)).requests, before, 'neither command asked the server');
  });

  it('status checks the session with one request; logout revokes it and deletes the tokens', async () => {
    const s = await signedInDir();
    const status = await runInProcess(['status'], s);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Checked with server:\s+yes/);
    const revocations = (await stats(emulator)).revocations;
    assert.equal((await runInProcess(['logout'], s)).code, 0);
    assert.equal((await stats(emulator)).revocations, revocations + 1);
    assert.equal((await runInProcess(['token'], s)).code, 4);
  });

  it('extensions and call-log export every record; api returns one JSON document', async () => {
    const s = await signedInDir();
    const extensions = await runInProcess(['extensions', '-f', 'ndjson'], s);
    assert.equal(extensions.code, 0, extensions.stderr);
    assert.equal(extensions.stdout.trim().split('\n').length, 25);
    const calls = await runInProcess(['call-log', '--from', '31d', '-f', 'csv', '--fields', 'id,startTime', '--page-size', '100'], s);
    assert.equal(calls.code, 0, calls.stderr);
    assert.equal(calls.stdout.trim().split('\n').length, 301, 'a header and 300 calls');
    const me = await runInProcess(['api', 'get', '/restapi/v1.0/account/~/extension/~'], s);
    assert.equal((JSON.parse(me.stdout) as { extensionNumber: string }).extensionNumber, '101');
  });
});
