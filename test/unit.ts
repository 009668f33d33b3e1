import { readdirSync } from 'node:fs';

/**
 * `npm run test:unit`: every test file that mirrors src/ (test/<layer>/*.test.ts), run from source
 * in this one process. On Node 20, `node --test` starts a process per file, and each start with
 * tsx costs about half a second: forty of them were most of the run. A new folder or test file is
 * picked up as it is. The emulator's own tests and the end-to-end suite start servers and processes
 * and stay one process per file (`npm test` runs all three).
 */

const NOT_UNITS = new Set(['e2e', 'emulator', 'helpers', 'fixtures']);

const root = new URL('./', import.meta.url);
const layers = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !NOT_UNITS.has(entry.name));
for (const layer of layers.map((entry) => entry.name).sort()) {
  const dir = new URL(`./${layer}/`, root);
  const files = readdirSync(dir).filter((file) => file.endsWith('.test.ts'));
  for (const name of files.sort()) await import(new URL(name, dir).href);
}
