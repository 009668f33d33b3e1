import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { APP } from '../../emulator/client.js';
import { useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';

/** What a user installs: the packed tarball, installed globally into a temporary prefix, run from elsewhere. */

const ROOT = new URL('../../', import.meta.url).pathname;

it('npm pack → npm install -g --prefix → the installed ringcentral works on its own', async () => {
  const packDir = tempDir();
  // --ignore-scripts: dist/ is already built by `npm test`; rebuilding here would race the other test files.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, stdio: 'ignore' });
  const [tarball] = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
  assert.ok(tarball);
  const files = execFileSync('tar', ['-tzf', join(packDir, tarball)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  assert.ok(files.includes('package/bin/ringcentral.cjs') && files.includes('package/dist/cli.cjs'));
  assert.ok(!files.some((file) => /package\/(src|test|emulator|bench)\//.test(file)), 'only what a user needs is published');

  const prefix = tempDir();
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(packDir, tarball)], { stdio: 'ignore' });
  const bin = join(prefix, 'bin', 'ringcentral');
  const elsewhere = tempDir();
  // Asynchronous: the emulator runs in this process and must keep answering.
  const run = async (args: string[], env: Record<string, string | undefined> = {}) =>
    (
      await promisify(execFile)(bin, args, {
        cwd: elsewhere,
        encoding: 'utf8',
        env: { ...process.env, ...cliEnv(elsewhere, env) } as NodeJS.ProcessEnv,
      })
    ).stdout;
  assert.match(await run(['--version']), /^\d+\.\d+\.\d+\n$/);
  assert.match(await run(['--help']), /call-log/);
  const emulator = await useEmulator({ extensions: 9 });
  await run(['login', '--jwt', '--server', emulator.url, '--client-id', APP.clientId], {
    RC_JWT: emulator.jwt,
    RC_CLIENT_SECRET: APP.clientSecret,
  });
  assert.equal(JSON.parse(await run(['extensions', '-f', 'json'])).length, 9);
});
