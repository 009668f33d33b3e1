// Builds dist/ with esbuild: src/cli.ts and everything it imports statically in one small file
// (commander included, so --help and --version read few files), every command a lazily loaded
// chunk, and the other runtime dependencies left as packages. Type checking is `npm run typecheck`.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { dependencies, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  external: Object.keys(dependencies).filter((name) => name !== 'commander'),
  // commander is CommonJS: give the bundled copy a require().
  banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
  define: { __RC_CLI_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
