import assert from 'node:assert/strict';
import { it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';

it('profiles on different servers side by side: list, use, remove (revoking first)', async () => {
  const [home, work] = [await useEmulator(), await useEmulator({ seed: 2 })];
  const dir = tempDir();
  const env = cliEnv(dir, { RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret });
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra }, cwd: dir });
  assert.equal((await cli(['login', '--jwt', '--server', home.url], { RC_JWT: home.jwt })).code, 0);
  assert.equal((await cli(['login', '--jwt', '--server', work.url, '--profile', 'work'], { RC_JWT: work.jwt })).code, 0);

  const listed = JSON.parse((await cli(['profiles', '--json'])).stdout) as { name: string; server: string; default: boolean }[];
  assert.deepEqual(
    listed.map((p) => [p.name, p.server, p.default]),
    [
      ['default', home.url, true],
      ['work', work.url, false],
    ],
  );
  const text = await cli(['profiles']);
  assert.match(text.stdout, /^\s+PROFILE\s+SERVER/);
  assert.deepEqual((await cli(['profiles', 'list', '--names'])).stdout, 'default\nwork\n');

  assert.equal((await cli(['profiles', 'use', 'work'])).code, 0);
  const status = JSON.parse((await cli(['status', '--json'])).stdout) as { profile: string; server: string };
  assert.deepEqual([status.profile, status.server], ['work', work.url]);
  assert.equal((await cli(['profiles', 'use', 'nope'])).code, 2);

  assert.equal((await cli(['profiles', 'remove', 'work'])).code, 0);
  assert.equal((await stats(work)).revocations, 1);
  assert.equal((await stats(home)).revocations, 0);
  const after = JSON.parse((await cli(['profiles', '--json'])).stdout) as { name: string; default: boolean }[];
  assert.deepEqual(
    after.map((p) => [p.name, p.default]),
    [['default', true]],
  );
});
