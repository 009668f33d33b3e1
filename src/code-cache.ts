import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { writeFileAtomic } from './fs/atomic.js';

/**
 * Loads a CommonJS bundle (dist/cli.cjs) with a V8 code cache of its own: the bytecode of every
 * function the last run of the same command called, so the next run compiles none of them again.
 *
 * Why not Node's compile cache: it keeps only what V8 compiled before the module ran, and V8
 * compiles a function on its first call, so each run compiled again every function it called:
 * commander's parser, the settings, the store, the transport (about 4 ms of a 36 ms `token` on
 * Node 24); Node 20 has no compile cache at all (about 9 ms there). This cache is made after the
 * command has run (Script#createCachedData), once per build, Node version and command.
 *
 * The bundle runs as Node would run it (same wrapper arguments, its own require), plus one:
 * `__rcImport`, the dynamic import(). A script compiled by node:vm cannot import() without an
 * experimental flag, so the build turns each of the bundle's import() calls into a call of it
 * (scripts/build.mjs), and this module, which Node loaded, does the import.
 *
 * Whatever goes wrong with the cache (missing, refused by V8, unwritable folder) costs only the
 * speed-up. Bytecode from a folder someone else could write would be code run as this user: a
 * folder not ours, or writable by others, is not used.
 */

export interface CachedBundle<T> {
  exports: T;
  /** What the load did with the cache: none read (none there, or its folder not safe), used, or rejected by V8 (another V8 or flags, damaged). */
  cache: 'none' | 'used' | 'rejected';
  /** Writes the cache when none was used; call it after a run that did its work (its functions are compiled). */
  save(): void;
}

/** Where the caches live (config/paths.ts cacheDir), and what identifies this bundle's. */
export interface CacheLocation {
  /** The CLI's cache folder: the bundle's cache goes in v8/, Node's compile cache of what it imports in node/. */
  dir: string;
  /** The bundle's build (a hash of its text, without '-'): other builds' files are removed once a day old. */
  build: string;
  /** V8 refuses a cache made by another V8: `<node version>-<arch>`, so that switching Node versions does not thrash. */
  runtime: string;
  /** The command run (one cache per command: each calls its own functions). */
  command: string;
}

/** The wrapper Node puts around a CommonJS module, plus the import() stand-in. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname, __rcImport) {', '\n})'] as const;

export function requireCached<T>(file: string, given: CacheLocation | undefined): CachedBundle<T> {
  const location = given && { ...given, build: `${given.build}${stamp(file)}` };
  const v8 = location && join(location.dir, 'v8');
  const cachedData = location && v8 && usableDir(v8) ? readQuietly(join(v8, fileName(location))) : undefined;
  const source = `${WRAPPER[0]}${readFileSync(file, 'utf8')}${WRAPPER[1]}`;
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  // What the bundle imports (the vendor bundles, `open`) is left to Node's compile cache (Node 22 and later).
  const exports = runAsModule<T>(script, file, () => location && enableNodeCache(join(location.dir, 'node')));
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports,
    cache,
    save() {
      if (location && cache !== 'used') writeCache(location, script);
    },
  };
}

/**
 * Runs the compiled wrapper as Node runs a module: its own require, __filename and __dirname, and
 * a place in the require cache (a later require() gets the same exports); `beforeImport` runs once,
 * before the bundle's first import().
 */
function runAsModule<T>(script: Script, file: string, beforeImport: () => void): T {
  const bundleRequire = nodeModule.createRequire(file);
  const bundleModule = new nodeModule.Module(file);
  bundleModule.filename = file;
  const base = dirname(file);
  let imported = false;
  const importer = (specifier: string) => {
    if (!imported) beforeImport();
    imported = true;
    return import(specifier.startsWith('.') ? pathToFileURL(join(base, specifier)).href : specifier);
  };
  bundleRequire.cache[file] = bundleModule;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, file, base, importer);
  } catch (error) {
    delete bundleRequire.cache[file];
    throw error;
  }
  bundleModule.loaded = true;
  return bundleModule.exports as T;
}

/** The bytecode of every function compiled so far, into v8/ (0700), atomically; any failure only costs the speed-up. */
function writeCache(location: CacheLocation, script: Script): void {
  const dir = join(location.dir, 'v8');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!usableDir(dir)) return;
    removeStale(dir, location.build);
    writeFileAtomic(join(dir, fileName(location)), script.createCachedData());
  } catch {
    // Unwritable (a read-only home, a full disk): the next run compiles as it would without a cache.
  }
}

/** A command word fit for a file name; anything else (an option first, a path) shares one cache. */
export function cacheCommand(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return /^[a-z][a-z-]{0,30}$/.test(first) ? first : '_';
}

/**
 * The file's size and modification time: a bundle changed after its build (edited by hand, a
 * rebuild of the same text) gets a cache of its own, for V8 compares nothing but the length.
 */
function stamp(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${size.toString(36)}${Math.trunc(mtimeMs / 1000).toString(36)}`;
}

function fileName(location: CacheLocation): string {
  return `${location.build}-${location.runtime}-${location.command}.bin`;
}

/** Ours, and writable by nobody else (POSIX): only then is what it holds ours. */
function usableDir(dir: string): boolean {
  if (!isAbsolute(dir)) return false;
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) return false;
    if (process.platform === 'win32' || process.getuid === undefined) return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readQuietly(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** How long another build's file (or a killed writer's temp) stays. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes other builds' files and temps written more than a day ago: after an upgrade the folder
 * holds one build again, and two installations used in turn cost each other at most one run
 * without a cache a day, instead of one every time.
 */
function removeStale(dir: string, build: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${build}-`) && name.endsWith('.bin')) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > STALE_MS) rmSync(path, { force: true });
  }
}

function enableNodeCache(dir: string): void {
  (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(dir);
}
