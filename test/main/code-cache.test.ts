import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { type CacheLocation, cacheCommand, requireCached } from '../../src/code-cache.js';
import { tempDir } from '../helpers/env.js';

/**
 * src/code-cache.ts: a bundle loaded through node:vm behaves as Node would load it (exports,
 * require, __dirname, the require cache, import() through __rcImport), and its code cache is
 * written once, used after, refused when damaged, and never read from a folder others may write.
 */

interface Fixture {
  add(a: number, b: number): number;
  dir: string;
  file: string;
  dependency(): string;
  importVendor(): Promise<{ answer: number }>;
  importBuiltin(): Promise<{ homedir: unknown }>;
}

/** A bundle as scripts/build.mjs makes them: import() goes through __rcImport (the banner for a plain require). */
function writeBundle(dir: string, extra = ''): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    [
      'var __rcImport=__rcImport||(s=>import(s));',
      'exports.add = (a, b) => a + b;',
      'exports.dir = __dirname;',
      'exports.file = __filename;',
      "exports.dependency = () => require('./dependency.cjs');",
      "exports.importVendor = () => __rcImport('./vendor/answer.mjs');",
      "exports.importBuiltin = () => __rcImport('node:os');",
      extra,
    ].join('\n'),
  );
  writeFileSync(join(dir, 'dependency.cjs'), "module.exports = 'required beside the bundle';");
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'vendor', 'answer.mjs'), 'export const answer = 42;');
  return file;
}

let copies = 0;

/**
 * The bundle under another name, with the same size and time (so the same cache file): V8 keeps
 * what it compiled by name for the life of the process, and would answer a second load of the
 * same name itself, never reading the cache. Separate processes (test/e2e/startup.test.ts) do not.
 */
function copyOf(file: string): string {
  copies += 1;
  const copy = join(dirname(file), `copy-${copies}.cjs`);
  copyFileSync(file, copy);
  const { atime, mtime } = statSync(file);
  utimesSync(copy, atime, mtime);
  return copy;
}

function location(dir: string, build = 'b1'): CacheLocation {
  return { dir, build, runtime: `${process.version}-${process.arch}`, command: 'token' };
}

/** The one cache file of `where`'s command (its name has the build, the bundle's size and time, the runtime and the command). */
function cacheFile(where: CacheLocation): string {
  const pattern = new RegExp(`^${where.build}[0-9a-z]+-${where.runtime.replace(/\./g, '\\.')}-${where.command}\\.bin$`);
  const names = readdirSync(join(where.dir, 'v8')).filter((name) => pattern.test(name));
  assert.equal(names.length, 1, `one cache file for ${where.command}: ${names}`);
  return join(where.dir, 'v8', names[0] ?? '');
}

it('loads a bundle as Node would: exports, __dirname, its own require, import() of a vendor file and a built-in', async () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const bundle = requireCached<Fixture>(file, undefined);
  assert.equal(bundle.cache, 'none');
  assert.equal(bundle.exports.add(2, 3), 5);
  assert.equal(bundle.exports.dir, dir);
  assert.equal(bundle.exports.file, file);
  assert.equal(bundle.exports.dependency(), 'required beside the bundle');
  assert.equal((await bundle.exports.importVendor()).answer, 42);
  assert.equal(typeof (await bundle.exports.importBuiltin()).homedir, 'function');
  assert.equal(createRequire(file).cache[file]?.exports, bundle.exports, 'in the require cache, as require() would leave it');
  bundle.save();
  assert.deepEqual(readdirSync(dir).sort(), ['bundle.cjs', 'dependency.cjs', 'vendor'], 'no location: nothing written');
});

it('writes the cache after a first run (0600 in a 0700 folder), uses it on the next, and does not rewrite it', () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const where = location(join(dir, 'cache'));
  const first = requireCached<Fixture>(file, where);
  assert.equal(first.cache, 'none');
  first.exports.add(1, 1);
  first.save();
  const written = statSync(cacheFile(where));
  assert.equal(written.mode & 0o777, 0o600);
  assert.equal(statSync(join(where.dir, 'v8')).mode & 0o777, 0o700);

  const second = requireCached<Fixture>(copyOf(file), where);
  assert.equal(second.cache, 'used');
  assert.equal(second.exports.add(20, 22), 42);
  second.save();
  assert.equal(statSync(cacheFile(where)).ino, written.ino, 'a cache that was used is left as it is');
});

it('a damaged cache is refused by V8, the bundle still runs, and the cache is written anew', () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const where = location(join(dir, 'cache'));
  requireCached<Fixture>(file, where).save();
  writeFileSync(cacheFile(where), Buffer.alloc(4096, 7), { mode: 0o600 });
  const bundle = requireCached<Fixture>(copyOf(file), where);
  assert.equal(bundle.cache, 'rejected');
  assert.equal(bundle.exports.add(1, 2), 3);
  bundle.save();
  assert.equal(requireCached<Fixture>(copyOf(file), where).cache, 'used');
});

it('a bundle changed after its build (same build name) does not get the old cache', () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const where = location(join(dir, 'cache'));
  requireCached<Fixture>(file, where).save();
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  assert.equal(requireCached<Fixture>(copyOf(file), where).cache, 'none');
});

it('a cache folder that others may write is neither read nor written', () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const where = location(join(dir, 'cache'));
  const first = requireCached<Fixture>(file, where);
  first.save();
  chmodSync(join(where.dir, 'v8'), 0o770);
  const second = requireCached<Fixture>(copyOf(file), where);
  assert.equal(second.cache, 'none', 'the cache in a group-writable folder was read');
  assert.equal(second.exports.add(2, 2), 4);
  const before = statSync(cacheFile(where)).ino;
  second.save();
  assert.equal(statSync(cacheFile(where)).ino, before, 'nothing was written there');
});

it("saving removes what other builds and killed writers left a day ago, and keeps this build's and what is recent", () => {
  const dir = tempDir();
  const file = writeBundle(dir);
  const where = location(join(dir, 'cache'), 'new');
  requireCached<Fixture>(file, where).save();
  const mine = cacheFile(where);
  const v8 = join(where.dir, 'v8');
  const prefix = (mine.split('/').pop() ?? '').split('-')[0] ?? '';
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  const old = (name: string) => {
    writeFileSync(join(v8, name), 'x');
    utimesSync(join(v8, name), twoDaysAgo, twoDaysAgo);
    return name;
  };
  // This build's files stay however old: other commands, other Node versions.
  const keep = [old(`${prefix}-v99.0.0-x64-token.bin`), old(`${prefix}-${where.runtime}-status.bin`), `other-${where.runtime}-token.bin`];
  writeFileSync(join(v8, `other-${where.runtime}-token.bin`), 'another installation, used today');
  old(`old-${where.runtime}-token.bin`);
  old(`.${prefix}-x.bin.123.0000abcd.tmp`);
  requireCached<Fixture>(file, { ...where, command: 'api' }).save();
  assert.deepEqual(readdirSync(v8).sort(), [...keep, mine.split('/').pop(), `${prefix}-${where.runtime}-api.bin`].sort());
});

it('a bundle that throws while loading is not left in the require cache', () => {
  const dir = tempDir();
  const file = writeBundle(dir, "throw new Error('broken bundle');");
  assert.throws(() => requireCached(file, location(join(dir, 'cache'))), /broken bundle/);
  assert.equal(createRequire(file).cache[file], undefined);
});

it('names the cache after the command word, and anything else after one shared name', () => {
  assert.equal(cacheCommand(['token']), 'token');
  assert.equal(cacheCommand(['call-log', '--from', '7d']), 'call-log');
  assert.equal(cacheCommand(['--profile', 'work', 'token']), '_');
  assert.equal(cacheCommand(['../../etc/passwd']), '_');
  assert.equal(cacheCommand([]), '_');
});
