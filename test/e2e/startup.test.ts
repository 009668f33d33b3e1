import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  const env = { ...process.env, MODULE_PROBE_FILE: file, RINGCENTRAL_CONFIG_DIR: configDir, NO_COLOR: '1' };
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
