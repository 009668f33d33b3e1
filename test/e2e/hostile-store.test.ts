import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';

/** The token store and .env are used only when they are what they seem (issue: hostile places). */

const emulator = await useEmulator();
const SECRET = { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };

it('a token file that is a symbolic link is neither read nor written through; its target is untouched', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'profiles'), { recursive: true, mode: 0o700 });
  const victim = join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, join(dir, 'profiles', 'default.json'));
  const env = cliEnv(dir, { ...SECRET, RC_JWT: emulator.jwt });
  const login = await runCli(['login', '--jwt', '--server', emulator.url], { env, cwd: dir });
  assert.notEqual(login.code, 0);
  assert.match(login.stderr, /is a symbolic link: not using it/);
  assert.equal((await runCli(['token'], { env: cliEnv(dir), cwd: dir })).code, 1);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

it('a FIFO as the token file or as .env does not hang a command', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'profiles'), { recursive: true, mode: 0o700 });
  assert.equal(spawnSync('mkfifo', [join(dir, 'profiles', 'default.json')]).status, 0);
  const started = Date.now();
  const status = await runCli(['status'], { env: cliEnv(dir), cwd: dir, timeoutMs: 10_000 });
  assert.equal(status.code, 1);
  assert.match(status.stderr, /not a regular file/);
  const cwd = tempDir();
  assert.equal(spawnSync('mkfifo', [join(cwd, '.env')]).status, 0);
  const withEnv = await runCli(['status'], { env: cliEnv(tempDir()), cwd, timeoutMs: 10_000 });
  assert.equal(withEnv.code, 2);
  assert.match(withEnv.stderr, /is not a regular file/);
  assert.ok(Date.now() - started < 8000);
});

it('a config directory that is a link, or belongs to another user, is refused', async () => {
  const real = tempDir();
  const link = join(tempDir(), 'linked');
  symlinkSync(real, link);
  const viaLink = await runCli(['login', '--jwt', '--server', emulator.url], {
    env: cliEnv(link, { ...SECRET, RC_JWT: emulator.jwt }),
    cwd: real,
  });
  assert.notEqual(viaLink.code, 0);
  assert.match(viaLink.stderr, /config directory .* is a symbolic link/);
  if (process.getuid?.() !== 0) return; // Giving a directory to another user needs root; CI runs as root.
  const foreign = tempDir();
  chownSync(foreign, 65534, 65534);
  const other = await runCli(['login', '--jwt', '--server', emulator.url], {
    env: cliEnv(foreign, { ...SECRET, RC_JWT: emulator.jwt }),
    cwd: real,
  });
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /belongs to another user \(uid 65534\)/);
});
