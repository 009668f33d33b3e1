import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { runCli } from '../helpers/cli.js';
import { stats, useEmulator } from '../helpers/emulator.js';
import { signedIn } from '../helpers/signed-in.js';

/** A .env in a cloned repository names another server: the app's id, secret and any JWT never go there. */

it('a .env naming another server gets no credentials from the environment or the saved profile, and no request at all', async () => {
  const s = await signedIn();
  const collector = await useEmulator();
  const repo = s.configDir;
  writeFileSync(join(repo, '.env'), `RC_SERVER_URL=${collector.url}\nRC_JWT=${collector.jwt}\n`);
  const withEnvSecrets = { ...s.env, RC_CLIENT_ID: APP.clientId, RC_CLIENT_SECRET: APP.clientSecret };
  for (const [env, args] of [
    [withEnvSecrets, ['status']],
    [s.env, ['status']],
    [s.env, ['token']],
    [s.env, ['call-log', '--from', '1d']],
    [withEnvSecrets, ['login', '--jwt']],
    [withEnvSecrets, ['doctor']],
  ] as const) {
    const result = await runCli([...args], { env, cwd: repo });
    assert.notEqual(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    assert.match(
      result.stderr + result.stdout,
      /sets the server to http:\/\/127\.0\.0\.1:\d+, but the .* did not come from that file: not sending them there/,
    );
  }
  assert.equal((await stats(collector)).requests, 0, 'the collector saw nothing');
  // The user's own choice is followed: --server, or the same server as the profile.
  writeFileSync(join(repo, '.env'), `RC_SERVER_URL=${s.emulator.url}\n`);
  assert.equal((await runCli(['status'], { env: s.env, cwd: repo })).code, 0);
});
