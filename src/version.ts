import { readFileSync } from 'node:fs';

declare const __RC_CLI_VERSION__: string | undefined;

/** The package version: inlined by the build (one file less to read at start-up), else read from package.json. */
export const VERSION =
  typeof __RC_CLI_VERSION__ === 'string'
    ? __RC_CLI_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
