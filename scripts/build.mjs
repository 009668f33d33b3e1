// Builds dist/ with esbuild, shaped for start-up time (npm run bench:startup):
//   dist/main.cjs        from src/main.ts: what bin/ runs; answers --version and --help from text
//                        rendered here, and requires cli.cjs for everything else
//   dist/cli.cjs         from src/cli.ts: all of our own code and commander, one CommonJS file (no ES
//                        module loader to start, no further file to read on the common paths),
//                        which main.cjs loads with its code cache (src/code-cache.ts)
//   dist/vendor/*.mjs    each large dependency as one ES module file, imported where it is used
// `open` ships a helper script it finds by path, and undici is only loaded behind a proxy: both
// stay packages. Type checking is `npm run typecheck`.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const shim = (name) => new URL(`./shims/${name}`, import.meta.url).pathname;
const dist = new URL('../dist/', import.meta.url);

/**
 * Package (as the source imports it) → dist/vendor/<file>, and how its exports look from an
 * `import()`, as Node would give them: a CommonJS package's default is its module.exports.
 */
const VENDOR = {
  '@ringcentral/sdk': ['ringcentral-sdk.mjs', 'commonjs'],
  'proper-lockfile': ['proper-lockfile.mjs', 'commonjs'],
  'cli-table3': ['cli-table3.mjs', 'commonjs'],
  conf: ['conf.mjs', 'default'],
  'csv-stringify/sync': ['csv-stringify.mjs', 'named'],
  chalk: ['chalk.mjs', 'named'],
};

const ENTRY = {
  commonjs: (pkg) => `export default require('${pkg}');`,
  default: (pkg) => `export * from '${pkg}'; export { default } from '${pkg}';`,
  named: (pkg) => `export * from '${pkg}';`,
};

const shared = { bundle: true, platform: 'node', target: 'node20', minify: true, legalComments: 'linked', logLevel: 'warning' };

/**
 * Node modules that cost milliseconds to load and that the common commands (token, status,
 * extensions) never call: each is replaced, wherever our bundle imports it, by a module of
 * stand-ins that load the real one on first call. Only functions have stand-ins, so a use of
 * anything else (a class, a constant) fails the build instead of going quietly eager.
 *   crypto           ~2 ms: PKCE (login), sha256 of downloads; dotenv's vault decryption
 *   fs/promises      ~1 ms: cleanup after atomic writes, the export sinks' rename
 *   child_process    ~3 ms: commander's executable subcommands (the CLI has none)
 *   stream/consumers ~1 ms: reading a JWT or a request body from standard input
 * The vendor bundles are loaded only by the commands that need them, and keep the real modules.
 */
const LAZY = ['crypto', 'fs/promises', 'child_process', 'stream/consumers'];
const LAZY_IMPORT = new RegExp(`^(node:)?(${LAZY.join('|')})$`);

function lazyModule(name) {
  const real = createRequire(import.meta.url)(`node:${name}`);
  const functions = Object.keys(real).filter((key) => typeof real[key] === 'function' && /^[a-z]/.test(key));
  return [
    `let real; const load = () => (real ??= require('node:${name}'));`,
    ...functions.map((key) => `export function ${key}(...args) { return load().${key}(...args); }`),
  ].join('\n');
}

const lazy = {
  name: 'lazy',
  setup(b) {
    // The stand-ins' own require() is the real module.
    b.onResolve({ filter: LAZY_IMPORT }, (args) =>
      args.namespace === 'lazy' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: lazyModule(args.path), loader: 'js' }));
  },
};

const shims = {
  name: 'shims',
  setup(b) {
    b.onResolve({ filter: /^node-fetch$/ }, () => ({ path: shim('node-fetch.cjs') }));
  },
};

/** Each vendor package as one ES module (CommonJS ones get a require() for Node's modules). */
function bundleVendors() {
  return Promise.all(
    Object.entries(VENDOR).map(([pkg, [file, shape]]) =>
      build({
        ...shared,
        stdin: { contents: ENTRY[shape](pkg), resolveDir: process.cwd() },
        outfile: `dist/vendor/${file}`,
        format: 'esm',
        plugins: [shims],
        banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
      }),
    ),
  );
}

/**
 * The bundle's dynamic import()s of what stays outside it are marked here and then turned into
 * calls of `__rcImport`, which main.cjs passes in: src/code-cache.ts compiles the bundle with
 * node:vm (for its code cache), where import() itself would need an experimental flag. Loaded
 * with a plain require(), the bundle imports for itself (the banner).
 */
const IMPORT_MARK = 'rc-import:';
/** Packages the bundle imports as they are, from node_modules. */
const PACKAGES = ['open', 'undici', 'jq-wasm'];
const importMarks = {
  name: 'import-marks',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.path.startsWith(IMPORT_MARK)) return undefined;
      const vendor = VENDOR[args.path];
      const marked = (path) => ({ path: `${IMPORT_MARK}${path}`, external: true });
      if (vendor) return marked(`./vendor/${vendor[0]}`);
      if (args.path.startsWith('node:') || PACKAGES.includes(args.path)) return marked(args.path);
      return undefined;
    });
  },
};

function replaceImportMarks(file) {
  const text = readFileSync(file, 'utf8');
  const marked = text.split(`import("${IMPORT_MARK}`).length - 1;
  const replaced = text.replaceAll(`import("${IMPORT_MARK}`, '__rcImport("');
  // What is left is the banner's own import(s): any other was not marked, and would fail under node:vm.
  const left = replaced.match(/\bimport\(/g)?.length ?? 0;
  if (marked === 0 || left !== 1) throw new Error(`${file}: ${left - 1} dynamic import() not marked for __rcImport (scripts/build.mjs)`);
  writeFileSync(file, replaced);
  return createHash('sha256').update(replaced).digest('hex').slice(0, 16);
}

async function bundleCli() {
  await build({
    ...shared,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.cjs',
    format: 'cjs',
    external: PACKAGES,
    banner: { js: 'var __rcImport=__rcImport||(s=>import(s));' },
    plugins: [
      shims,
      lazy,
      importMarks,
      {
        name: 'vendor',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            VENDOR[args.path] ? { path: `./vendor/${VENDOR[args.path][0]}`, external: true } : undefined,
          );
        },
      },
    ],
    define: { __RC_CLI_VERSION__: JSON.stringify(version) },
    // src/version.ts reads package.json through import.meta only when run from source.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  return replaceImportMarks('dist/cli.cjs');
}

function bundleMain(help, cliBuild) {
  return build({
    ...shared,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.cjs',
    format: 'cjs',
    // Only what --version, --help and the loader need: no package, nothing deferred loads early.
    external: ['./cli.cjs', './cli.js'],
    packages: 'external',
    plugins: [lazy],
    define: {
      __RC_CLI_VERSION__: JSON.stringify(version),
      __RC_CLI_HELP__: JSON.stringify(help),
      __RC_CLI_BUILD__: JSON.stringify(cliBuild),
    },
  });
}

/** `ringcentral --help` as the built registry prints it when stdout is not a terminal. */
async function renderHelp() {
  const { run } = createRequire(import.meta.url)(new URL('cli.cjs', dist).pathname);
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
const [, cliBuild] = await Promise.all([bundleVendors(), bundleCli()]);
await bundleMain(await renderHelp(), cliBuild);
