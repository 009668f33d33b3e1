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
  /** What the load did with the cache: none found (or refused), read and accepted, or rejected by V8. */
  cache: 'none' | 'used' | 'rejected';
  /** Writes the cache when none was used; call it after a run that went well (its functions are compiled). */
  save(): void;
}

/** Where the caches live (config/paths.ts cacheDir), and what identifies this bundle's. */
export interface CacheLocation {
  /** The CLI's cache folder: the bundle's cache goes in v8/, Node's compile cache of what it imports in node/. */
  dir: string;
  /** The bundle's build (a hash of its text, without '-'): files of any other build are removed. */
  build: string;
  /** V8 refuses a cache made by another V8: `<node version>-<arch>`, so that switching Node versions does not thrash. */
  runtime: string;
  /** The command run (one cache per command: each calls its own functions). */
  command: string;
}

/** The wrapper Node puts around a CommonJS module, plus the import() stand-in. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname, __rcImport) {', '\n})'] as const;

export function requireCached<T>(file: string, location: CacheLocation | undefined): CachedBundle<T> {
  const dir = location && join(location.dir, 'v8');
  const cacheFile = location && dir && usableDir(dir) ? join(dir, fileName(location)) : undefined;
  const cachedData = cacheFile ? readQuietly(cacheFile) : undefined;
  const source = readFileSync(file, 'utf8');
  const script = new Script(`${WRAPPER[0]}${source}${WRAPPER[1]}`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  // A module as Node makes one, in the require cache as Node would put it (a later require gets it).
  const require = nodeModule.createRequire(file);
  const module = new nodeModule.Module(file);
  module.filename = file;
  const base = dirname(file);
  let imported = false;
  const importer = (specifier: string) => {
    // What the bundle imports (the vendor bundles, `open`) is left to Node's compile cache (Node 22 and later).
    if (!imported && location) enableNodeCache(join(location.dir, 'node'));
    imported = true;
    return import(specifier.startsWith('.') ? pathToFileURL(join(base, specifier)).href : specifier);
  };
  require.cache[file] = module;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, base, importer);
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports: module.exports as T,
    cache,
    save() {
      if (!location || !dir || cache === 'used') return;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!usableDir(dir)) return;
        removeOtherBuilds(dir, location.build);
        writeFileAtomic(join(dir, fileName(location)), script.createCachedData());
      } catch {
        // A cache that cannot be written costs the next run a few milliseconds, nothing more.
      }
    },
  };
}

/** A command word fit for a file name; anything else (an option first, a path) shares one cache. */
export function cacheCommand(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return /^[a-z][a-z-]{0,30}$/.test(first) ? first : '_';
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

/**
 * Files of other builds (an upgrade, a rebuild) and temps: the folder never holds more than one
 * build. A temp of a concurrent writer may go too; its rename then fails, and it writes next time.
 */
function removeOtherBuilds(dir: string, build: string): void {
  for (const name of readdirSync(dir)) {
    if (!(name.startsWith(`${build}-`) && name.endsWith('.bin'))) rmSync(join(dir, name), { force: true });
  }
}

function enableNodeCache(dir: string): void {
  (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(dir);
}
