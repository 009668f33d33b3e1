// Builds dist/ with esbuild: dist/main.cjs from src/main.ts (what bin/ runs: answers --version and
// --help from text fixed here, CommonJS to start fast) and dist/cli.js from src/cli.ts (the command
// registry, commander included, ES modules). Every command
// and every runtime dependency is a lazily loaded chunk, tree-shaken, one file each to read: Node 20
// has no compile cache, and resolving a package's many small files is what costs. `open` ships a
// helper script it finds by path, and undici is only loaded behind a proxy: both stay packages.
// Type checking is `npm run typecheck`.
import { readFileSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const shim = (name) => new URL(`./shims/${name}`, import.meta.url).pathname;
const dist = new URL('../dist/', import.meta.url);

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
};

function bundleCli() {
  return build({
    ...shared,
    entryPoints: ['src/cli.ts'],
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    legalComments: 'linked',
    external: ['open', 'undici'],
    plugins: [
      {
        name: 'shims',
        setup(b) {
          b.onResolve({ filter: /^node-fetch$/ }, () => ({ path: shim('node-fetch.cjs') }));
          b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
            /[/\\]commander[/\\]/.test(args.importer) ? { path: shim('child-process.cjs') } : undefined,
          );
        },
      },
    ],
    // Bundled CommonJS packages (commander, the SDK, ...) call require() for Node's modules.
    banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
    define: { __RC_CLI_VERSION__: JSON.stringify(version) },
  });
}

function bundleMain(help) {
  return build({
    ...shared,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.cjs',
    format: 'cjs',
    external: ['./cli.js'],
    define: { __RC_CLI_VERSION__: JSON.stringify(version), __RC_CLI_HELP__: JSON.stringify(help) },
  });
}

/** `ringcentral --help` as the built registry prints it when stdout is not a terminal. */
async function renderHelp() {
  const { run } = await import(new URL('cli.js', dist).href);
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk) => {
    text += chunk;
  });
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
  const code = await run(['--help'], io);
  if (code !== 0) throw new Error(`rendering --help exited ${code}`);
  return text;
}

rmSync(dist, { recursive: true, force: true });
await bundleCli();
await bundleMain(await renderHelp());
