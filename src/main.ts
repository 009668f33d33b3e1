import { HELP_WIDTH, type Io } from './io.js';

/**
 * What bin/ringcentral.js runs. `--version` and `--help` alone are answered here from text fixed
 * at build time (scripts/build.mjs renders the help with commander itself), so they cost what an
 * empty script costs; everything else loads the command registry (cli.ts). Run from source
 * (tests), the constants are absent and every call goes to cli.ts.
 */

declare const __RC_CLI_VERSION__: string | undefined;
declare const __RC_CLI_HELP__: string | undefined;

export async function run(argv: string[], io?: Io): Promise<number> {
  const stdout = io?.stdout ?? process.stdout;
  const only = argv.length === 1 ? argv[0] : undefined;
  if ((only === '--version' || only === '-v') && typeof __RC_CLI_VERSION__ === 'string') {
    stdout.write(`${__RC_CLI_VERSION__}\n`);
    return 0;
  }
  // commander wraps help at min(terminal width, HELP_WIDTH): the rendered text is exact from there up.
  const fits = !stdout.isTTY || (stdout.columns ?? 0) >= HELP_WIDTH;
  if ((only === '--help' || only === '-h') && typeof __RC_CLI_HELP__ === 'string' && fits) {
    stdout.write(__RC_CLI_HELP__);
    return 0;
  }
  // Built, both files are CommonJS (no ES module loader to start); from source, an ES import.
  const cli: typeof import('./cli.js') = typeof require === 'function' ? requireCli() : await import('./cli.js');
  return cli.run(argv, io);
}

/**
 * The command registry, from the bundle. Node 22 and later keep its compiled code between runs
 * (in the system's temporary directory) once the compile cache is on; turning it on costs a
 * little, so --version and --help, which never get here, do without.
 */
function requireCli(): typeof import('./cli.js') {
  (require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  return require('./cli.cjs');
}
