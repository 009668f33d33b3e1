import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { signedIn } from '../helpers/signed-in.js';

const APP_ENV = { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };

describe('crash safety', () => {
  it('SIGKILL at any moment of an --output export never leaves a partial target', async () => {
    const s = await signedIn({ callLog: 20_000 });
    const dir = tempDir();
    const target = join(dir, 'calls.ndjson');
    writeFileSync(target, 'previous\n');
    let completed = 0;
    for (let i = 0; i < 12; i++) {
      const cli = startCli(['call-log', '--scope', 'account', '--from', '31d', '-o', target, '--page-size', '500'], {
        env: s.env,
        cwd: s.configDir,
      });
      await new Promise((resolve) => setTimeout(resolve, 100 + i * 90));
      cli.child.kill('SIGKILL');
      const { code } = await cli.done;
      const text = readFileSync(target, 'utf8');
      if (text !== 'previous\n') {
        completed += 1;
        const lines = text.trimEnd().split('\n');
        assert.equal(lines.length, 20_000, `run ${i} (exit ${code}) left ${lines.length} lines`);
        JSON.parse(lines.at(-1) ?? '');
        writeFileSync(target, 'previous\n');
      }
    }
    // A later run clears the temp files the killed ones left behind.
    assert.equal(
      (await runCli(['call-log', '--scope', 'account', '--from', '1d', '-o', target], { env: s.env, cwd: s.configDir })).code,
      0,
    );
    assert.deepEqual(readdirSync(dir), ['calls.ndjson']);
    assert.ok(completed < 12, 'some runs were killed mid-way');
  });

  it('SIGKILL while the token store is being written never leaves a damaged file', async () => {
    const dir = tempDir();
    const writer = new URL('../fixtures/bin/store-writer.ts', import.meta.url).pathname;
    for (let i = 0; i < 15; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'ignore'] });
      await new Promise((resolve) => child.stdout.once('data', resolve)); // the first write is done
      await new Promise((resolve) => setTimeout(resolve, i * 23));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('close', resolve));
      const text = readFileSync(join(dir, 'profiles', 'default.json'), 'utf8');
      const stored = JSON.parse(text);
      assert.equal(stored.version, 1);
      assert.match(stored.tokens.access_token, /^U1BC\d+$/);
    }
  });

  it('a lock left by a killed process delays the next command by seconds, not forever', async () => {
    const s = await signedIn({ accessTokenTtl: 30 });
    mkdirSync(`${s.tokenFile}.lock`);
    const started = Date.now();
    const result = await runCli(['token'], { env: s.env, cwd: s.configDir });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(Date.now() - started < 9000, `took ${Date.now() - started} ms`);
  });
});

describe('network trouble', () => {
  it('the emulator going away mid-export: retries, exit 75, whole lines only, and what was written', async () => {
    const s = await signedIn({ callLog: 3000 });
    s.emulator.setFaults('slow:1');
    const cli = startCli(['call-log', '--scope', 'account', '--from', '31d', '--page-size', '100', '--max-wait', '3'], {
      env: s.env,
      cwd: s.configDir,
    });
    cli.child.stdout.once('data', () => void s.emulator.close());
    const { code, stdout, stderr } = await cli.done;
    assert.equal(code, 75, stderr);
    const lines = stdout.split('\n');
    assert.equal(lines.pop(), '');
    for (const line of lines) JSON.parse(line);
    assert.match(stderr, new RegExp(`cannot reach .*; ${lines.length} records were written to standard output`));
    assert.equal(
      stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('ringcentral:')).length,
      1,
    );
  });

  it('an HTML error page from a gateway is named as such, not a JSON parse error', async () => {
    const s = await signedIn({ callLog: 100 });
    s.emulator.setFaults('502:1');
    const result = await runCli(['call-log', '--scope', 'account', '--max-wait', '0'], { env: s.env, cwd: s.configDir });
    assert.equal(result.code, 75);
    assert.match(result.stderr, /answered 502 with an HTML page instead of RingCentral's JSON/);
    assert.match(result.stderr, /HTTPS_PROXY/);
  });

  it('HTTP(S)_PROXY carries token and API calls; loopback and NO_PROXY go direct', async () => {
    const emulator = await useEmulator({ callLog: 50 });
    const proxy = await useCountingProxy(emulator.port);
    const dir = tempDir();
    const server = `http://emulator.localhost:${emulator.port}`;
    const env = cliEnv(dir, { ...APP_ENV, HTTP_PROXY: proxy.url, RC_JWT: emulator.jwt });
    const login = await runCli(['login', '--jwt', '--server', server], { env, cwd: dir });
    assert.equal(login.code, 0, login.stderr);
    const list = await runCli(['extensions', '--limit', '2'], { env: { ...env, RC_JWT: undefined }, cwd: dir });
    assert.equal(list.code, 0, list.stderr);
    assert.ok(proxy.tunnels.every((target) => target === `emulator.localhost:${emulator.port}`) && proxy.tunnels.length >= 2);
    assert.deepEqual(
      proxy.requests.map((line) => line.replace(/\?.*/, '')),
      ['POST /restapi/oauth/token', 'GET /restapi/v1.0/account/~/extension/~', 'GET /restapi/v1.0/account/~/extension'],
    );
    assert.equal(list.stderr, '');
    const direct = await runCli(['login', '--jwt', '--server', emulator.url, '--profile', 'direct'], { env, cwd: dir });
    assert.equal(direct.code, 0, direct.stderr);
    const bypassed = await runCli(['extensions', '--limit', '1', '--max-wait', '0'], {
      env: { ...env, RC_JWT: undefined, NO_PROXY: 'emulator.localhost' },
      cwd: dir,
    });
    assert.equal(bypassed.code, 75, 'emulator.localhost does not resolve without the proxy');
    assert.equal(proxy.requests.length, 3, 'neither loopback nor NO_PROXY hosts went through the proxy');
  });
});
