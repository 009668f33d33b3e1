import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { it } from 'node:test';

/**
 * The layers of src/ (README, "Where the code lives"): a module may import its own folder or a
 * lower layer, never a higher one or a sibling folder of its layer. Dynamic imports count too.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const SRC = join(ROOT, 'src');

/** Lowest first. Folders of one layer do not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'io.ts', 'interrupt.ts', 'version.ts'],
  ['fs', 'config'],
  ['output'],
  ['api'],
  ['auth'],
  ['export'],
  ['commands'],
  ['cli.ts', 'cli-options.ts', 'main.ts', 'code-cache.ts'],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** `auth/session.ts` → `auth`; `cli.ts` → `cli.ts`. */
function unitOf(file: string): string {
  return relative(SRC, file).split('/')[0] ?? '';
}

function layerOf(unit: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  assert.ok(index >= 0, `src/${unit} has no layer: add it to LAYERS (and to the README's map)`);
  return index;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1] ?? '');
  return specifiers.map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
}

it('no module in src/ imports a higher layer or a sibling folder', () => {
  const violations: string[] = [];
  for (const file of files(SRC)) {
    const from = unitOf(file);
    for (const target of imports(file)) {
      assert.ok(target.startsWith(SRC), `${relative(ROOT, file)} imports ${relative(ROOT, target)}, outside src/`);
      const to = unitOf(target);
      if (to === from) continue;
      const [a, b] = [layerOf(from), layerOf(to)];
      if (b > a || (b === a && !LAYERS[a]?.every((unit) => unit.endsWith('.ts')))) {
        violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

it('commands/ holds only commands (and their context)', () => {
  const names = readdirSync(join(SRC, 'commands')).sort();
  assert.deepEqual(names, [
    'api.ts',
    'call-log.ts',
    'completion.ts',
    'context.ts',
    'doctor.ts',
    'extensions.ts',
    'login.ts',
    'logout.ts',
    'messages.ts',
    'profiles.ts',
    'status.ts',
    'token.ts',
  ]);
});

it('the emulator and src/ never import each other', () => {
  for (const file of files(SRC)) assert.ok(!/from '[./]*emulator\//.test(readFileSync(file, 'utf8')), relative(ROOT, file));
  for (const file of files(join(ROOT, 'emulator'))) assert.ok(!/from '[./]*src\//.test(readFileSync(file, 'utf8')), relative(ROOT, file));
});
