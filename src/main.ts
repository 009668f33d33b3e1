import { writeSync } from 'node:fs';
import type { CachedBundle } from './code-cache.js';
import { HELP_WIDTH, type Io, type OutStream } from './io.js';

/**
 * What bin/ringcentral.cjs runs. `--version` and `--help` alone are answered here from text fixed
 * at build time (scripts/build.mjs renders the help with commander itself), so they cost what an
 * empty script costs; everything else loads the command registry (cli.ts). Run from source
 * (tests), the constants are absent and every call goes to cli.ts.
 */

declare const __RC_CLI_VERSION__: string | undefined;
declare const __RC_CLI_HELP__: string | undefined;
/** A hash of dist/cli.cjs's text, set by the build: it names the bundle's code cache. */
declare const __RC_CLI_BUILD__: string | undefined;

export async function run(argv: string[], io?: Io): Promise<number> {
  const only = argv.length === 1 ? argv[0] : undefined;
  if ((only === '--version' || only === '-v') && typeof __RC_CLI_VERSION__ === 'string') {
    writeVersion(`${__RC_CLI_VERSION__}\n`, io);
    return 0;
  }
  const stdout = io?.stdout ?? processStdout();
  // commander wraps help at min(terminal width, HELP_WIDTH): the rendered text is exact from there up.
  const fits = !stdout.isTTY || (stdout.columns ?? 0) >= HELP_WIDTH;
  if ((only === '--help' || only === '-h') && typeof __RC_CLI_HELP__ === 'string' && fits) {
    stdout.write(__RC_CLI_HELP__);
    return 0;
  }
  // Built, both files are CommonJS (no ES module loader to start); from source, an ES import.
  if (typeof require !== 'function' || typeof __RC_CLI_BUILD__ !== 'string') return (await import('./cli.js')).run(argv, io);
  const bundle = await requireCli(argv, io?.env ?? process.env);
  const code = await bundle.exports.run(argv, io);
  // The cache holds the functions this run compiled: those of a run that did the command's work
  // (a failure, or a command's --help, would leave the next runs compiling theirs).
  if (code === 0 && !argv.some((arg) => arg === '--help' || arg === '-h')) bundle.save();
  return code;
}

/** process.stdout, where a reader that went away (`| head -n 1`, `| true`) is a normal end: no trace, nothing more written. */
function processStdout(): OutStream {
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return process.stdout;
}

/**
 * The version line, straight to file descriptor 1 when no stream is given: opening process.stdout
 * would cost more than the rest of `--version`. A full non-blocking pipe gets the stream, which waits.
 */
function writeVersion(text: string, io: Io | undefined): void {
  if (io) {
    io.stdout.write(text);
    return;
  }
  try {
    writeSync(1, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') processStdout().write(text);
    else if (code !== 'EPIPE') throw error;
  }
}

/**
 * The command registry, from the bundle, with its code cache (code-cache.ts) unless
 * NODE_DISABLE_COMPILE_CACHE is set. --version and --help, answered above, never load it.
 */
async function requireCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CachedBundle<typeof import('./cli.js')>> {
  // Here, not at the top: --version and --help load none of it (nor node:vm, node:os). Both are
  // bundled into main.cjs; node:path comes by require(), as an import() would start the ES module loader.
  const [{ cacheCommand, requireCached }, { cacheDir }] = await Promise.all([import('./code-cache.js'), import('./config/paths.js')]);
  const { join } = require('node:path') as typeof import('node:path');
  const build = __RC_CLI_BUILD__ as string;
  const location = env.NODE_DISABLE_COMPILE_CACHE
    ? undefined
    : { dir: cacheDir(env), build, runtime: `${process.version}-${process.arch}`, command: cacheCommand(argv) };
  return requireCached(join(__dirname, 'cli.cjs'), location);
}
