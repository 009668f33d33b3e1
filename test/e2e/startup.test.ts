import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { TokenStore } from '../../src/auth/token-store.js';
import { BIN } from '../helpers/cli.js';
import { freePort, tempDir } from '../helpers/env.js';
import { storedSession } from '../helpers/fixtures.js';

/**
 * What each kind of run loads (the start-up budget in src/cli.ts): --version and --help only
 * the entry; a command our own bundle and nothing heavy; the heavy parts only where used.
 */

const DIST = new URL('../../dist/', import.meta.url).pathname;
const PROBE = new URL('../fixtures/bin/module-probe.mjs', import.meta.url).pathname;
/** Node modules loaded only for a browser sign-in. */
const LOGIN_BUILTINS = ['node:child_process', 'node:http', 'node:readline'];

function loaded(args: string[], configDir = tempDir()): { dist: string[]; builtins: string[] } {
  const file = join(tempDir(), 'modules.txt');
  const env = {
    ...process.env,
    MODULE_PROBE_FILE: file,
    RINGCENTRAL_CONFIG_DIR: configDir,
    RINGCENTRAL_CACHE_DIR: tempDir(),
    NO_COLOR: '1',
  };
  const result = spawnSync(process.execPath, ['--import', PROBE, BIN, ...args], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const lines = [...new Set(readFileSync(file, 'utf8').trim().split('\n'))];
  return {
    dist: lines.filter((l) => l.startsWith(DIST)).map((l) => relative(DIST, l)),
    builtins: lines.filter((l) => l.startsWith('node:')),
  };
}

for (const args of [['--version'], ['--help'], ['-h']]) {
  it(`ringcentral ${args.join(' ')} loads the entry alone, not the command registry`, () => {
    assert.deepEqual(loaded(args).dist, ['main.cjs']);
  });
}

it('ringcentral --version writes its line without opening process.stdout (which costs more than the rest)', () => {
  const probe = new URL('../fixtures/bin/stdout-probe.cjs', import.meta.url).pathname;
  const env = { ...process.env, RINGCENTRAL_CONFIG_DIR: tempDir(), NO_COLOR: '1' };
  const run = (arg: string) => spawnSync(process.execPath, ['-r', probe, BIN, arg], { env, encoding: 'utf8' });
  const version = run('--version');
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(version.stderr, '');
  assert.match(run('--help').stderr, /process\.stdout opened/, 'control: --help opens it');
});

for (const args of [
  ['call-log', '--help'],
  ['login', '--help'],
  ['extensions', '--fields'],
]) {
  it(`ringcentral ${args.join(' ')} loads our bundle and nothing heavy (SDK, conf, CSV, tables, chalk, login's modules)`, () => {
    const { dist, builtins } = loaded(args);
    assert.deepEqual(dist.sort(), ['cli.cjs', 'main.cjs']);
    for (const name of LOGIN_BUILTINS) assert.ok(!builtins.includes(name), `${name} was loaded`);
  });
}

it('a signed-in `token` reads one file and loads no dependency (no SDK: the token is still valid)', async () => {
  const dir = tempDir();
  await new TokenStore(dir, 'default').write(storedSession());
  assert.deepEqual(loaded(['token'], dir).dist.sort(), ['cli.cjs', 'main.cjs']);
});

/** Node modules the build defers to their first call (scripts/build.mjs): a signed-in token or status calls none. */
const DEFERRED_BUILTINS = ['node:crypto', 'node:fs/promises', 'node:child_process'];

for (const args of [['token'], ['status', '--offline']]) {
  it(`ringcentral ${args.join(' ')} loads none of ${DEFERRED_BUILTINS.join(', ')}`, async () => {
    const dir = tempDir();
    await new TokenStore(dir, 'default').write(storedSession());
    const { builtins } = loaded(args, dir);
    assert.ok(builtins.includes('node:fs'), 'the probe lists built-ins');
    for (const name of DEFERRED_BUILTINS) assert.ok(!builtins.includes(name), `${name} was loaded`);
  });
}

it('a deferred built-in is still there when called: login --no-browser makes its PKCE pair with node:crypto', async () => {
  const dir = tempDir();
  const file = join(tempDir(), 'modules.txt');
  const env = { ...process.env, MODULE_PROBE_FILE: file, RINGCENTRAL_CONFIG_DIR: dir, NO_COLOR: '1' };
  const redirect = `http://127.0.0.1:${await freePort()}/cb`;
  const result = spawnSync(
    process.execPath,
    ['--import', PROBE, BIN, 'login', '--interactive', '--no-browser', '--client-id', 'x', '--redirect-uri', redirect, '--timeout', '1'],
    { env, encoding: 'utf8', input: '' },
  );
  assert.match(result.stdout + result.stderr, /code_challenge=[\w-]{43}&code_challenge_method=S256/);
  assert.ok(readFileSync(file, 'utf8').split('\n').includes('node:crypto'), 'node:crypto was loaded on first call');
});

it('the probe does see what a command loads where it is used (control)', async () => {
  const dir = tempDir();
  await new TokenStore(dir, 'default').write(storedSession());
  const { dist } = loaded(['profiles', 'list'], dir);
  assert.deepEqual(dist.sort(), ['cli.cjs', 'main.cjs', 'vendor/cli-table3.mjs']);
  assert.ok(readdirSync(join(DIST, 'vendor')).length > 1, 'the other dependencies stayed on disk');
});

/** A signed-in CLI run with its own code cache folder; returns the output and the cache's files. */
function cachedRun(args: string[], configDir: string, cacheDir: string, extra: NodeJS.ProcessEnv = {}) {
  const env = { ...process.env, RINGCENTRAL_CONFIG_DIR: configDir, RINGCENTRAL_CACHE_DIR: cacheDir, NO_COLOR: '1', ...extra };
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  const v8 = join(cacheDir, 'v8');
  const files = (() => {
    try {
      return readdirSync(v8).map((name) => ({ name, ino: statSync(join(v8, name)).ino }));
    } catch {
      return [];
    }
  })();
  return { ...result, files };
}

it("a command's first run writes its code cache; the next runs use it as it is and print the same", async () => {
  const configDir = tempDir();
  await new TokenStore(configDir, 'default').write(storedSession());
  const cacheDir = tempDir();
  const first = cachedRun(['token'], configDir, cacheDir);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.files.length, 1);
  // The build's hash, the bundle's size and time (base 36), the Node version and architecture, the command.
  assert.match(
    first.files[0]?.name ?? '',
    new RegExp(`^[0-9a-f]{16}[0-9a-z]+-${process.version.replace(/\./g, '\\.')}-${process.arch}-token\\.bin$`),
  );
  for (let i = 0; i < 2; i++) {
    const next = cachedRun(['token'], configDir, cacheDir);
    assert.equal(next.stdout, first.stdout);
    assert.deepEqual(next.files, first.files, 'the cache was used, not written again');
  }
  assert.equal(statSync(join(cacheDir, 'v8')).mode & 0o777, 0o700);
  const status = cachedRun(['status', '--offline'], configDir, cacheDir);
  assert.equal(status.status, 0, status.stderr);
  assert.deepEqual(status.files.map((f) => f.name.replace(/.*-/, '')).sort(), ['status.bin', 'token.bin'], 'one cache per command');
});

it('a failed run or a --help writes no code cache; a damaged one is replaced and the command still works; NODE_DISABLE_COMPILE_CACHE writes none', async () => {
  const cacheDir = tempDir();
  const failed = cachedRun(['token'], tempDir(), cacheDir);
  assert.notEqual(failed.status, 0);
  assert.deepEqual(failed.files, []);
  const help = cachedRun(['token', '--help'], tempDir(), cacheDir);
  assert.equal(help.status, 0, help.stderr);
  assert.deepEqual(help.files, [], "a command's --help writes none either");

  const configDir = tempDir();
  await new TokenStore(configDir, 'default').write(storedSession());
  const good = cachedRun(['token'], configDir, cacheDir);
  const file = join(cacheDir, 'v8', good.files[0]?.name ?? '');
  writeFileSync(file, Buffer.alloc(good.files.length ? 8192 : 0, 1));
  const repaired = cachedRun(['token'], configDir, cacheDir);
  assert.equal(repaired.stdout, good.stdout);
  assert.notEqual(statSync(file).size, 8192, 'the damaged cache was written anew');

  const off = tempDir();
  const disabled = cachedRun(['token'], configDir, off, { NODE_DISABLE_COMPILE_CACHE: '1' });
  assert.equal(disabled.stdout, good.stdout);
  assert.deepEqual(readdirSync(off), []);
});
