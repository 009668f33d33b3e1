import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';

/** --version and --help load none of the heavy code: commands are imported when they run. */
function loadedModules(args: string[]): string[] {
  const file = join(tempDir(), 'modules.txt');
  const probe = new URL('../helpers/module-probe.mjs', import.meta.url).pathname;
  const env = { ...process.env, MODULE_PROBE_FILE: file, RINGCENTRAL_CONFIG_DIR: tempDir() };
  const result = spawnSync(process.execPath, ['--import', probe, BIN, ...args], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(file, 'utf8').trim().split('\n');
}

for (const args of [['--version'], ['--help'], ['call-log', '--help']]) {
  it(`ringcentral ${args.join(' ')} loads no SDK, CSV, table, date, store or color code`, () => {
    const modules = loadedModules(args);
    assert.ok(
      modules.some((url) => url.endsWith('/dist/cli.js')),
      'the probe saw the CLI load',
    );
    for (const heavy of ['@ringcentral/sdk', 'csv-stringify', 'cli-table3', 'date-fns', 'conf', 'proper-lockfile', 'chalk', 'open']) {
      assert.ok(!modules.some((url) => url.includes(`/node_modules/${heavy}/`)), `${heavy} was loaded`);
    }
  });
}

it('the probe does see a command load its code (control)', () => {
  const modules = loadedModules(['profiles', 'list', '--names']);
  assert.ok(modules.some((url) => url.includes('/node_modules/conf/')));
});
