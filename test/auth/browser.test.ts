import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { openBrowser } from '../../src/auth/browser.js';
import { tempDir } from '../helpers/env.js';

const URL_WITH_AMPERSANDS = 'http://127.0.0.1:1/restapi/oauth/authorize?a=1&b=2&state=x';

it('BROWSER=none and BROWSER=false only print', async () => {
  for (const value of ['none', 'false']) {
    const result = await openBrowser(URL_WITH_AMPERSANDS, {
      env: { BROWSER: value, DISPLAY: ':0' },
      platform: 'linux',
      launch: async () => assert.fail('launched'),
    });
    assert.deepEqual(result, { opened: false, reason: 'BROWSER is set to none' });
  }
});

it('BROWSER runs that command with the URL as one argument (no shell), and reports a missing command', async () => {
  const ok = await openBrowser(URL_WITH_AMPERSANDS, { env: { BROWSER: 'true --flag', PATH: process.env.PATH }, platform: 'linux' });
  assert.deepEqual(ok, { opened: true });
  const missing = await openBrowser(URL_WITH_AMPERSANDS, { env: { BROWSER: '/nonexistent/browser' }, platform: 'linux' });
  assert.equal(missing.opened, false);
  assert.match(missing.opened ? '' : missing.reason, /could not be run \(ENOENT\)/);
});

it('does not try over SSH or on Linux without a display', async () => {
  const never = async () => assert.fail('launched');
  const ssh = await openBrowser(URL_WITH_AMPERSANDS, {
    env: { SSH_CONNECTION: '1 2 3 4', DISPLAY: ':0' },
    platform: 'linux',
    launch: never,
  });
  assert.deepEqual(ssh, { opened: false, reason: 'this is an SSH session', ssh: true });
  const headless = await openBrowser(URL_WITH_AMPERSANDS, { env: {}, platform: 'linux', launch: never });
  assert.match(headless.opened ? '' : headless.reason, /no display/);
});

it('uses the system opener otherwise, and reports its failure without throwing', async () => {
  const urls: string[] = [];
  assert.deepEqual(
    await openBrowser(URL_WITH_AMPERSANDS, {
      env: { DISPLAY: ':0' },
      platform: 'linux',
      launch: async (url) => {
        urls.push(url);
      },
    }),
    { opened: true },
  );
  assert.deepEqual(urls, [URL_WITH_AMPERSANDS]);
  const failed = await openBrowser(URL_WITH_AMPERSANDS, {
    env: {},
    platform: 'darwin',
    launch: async () => {
      throw new Error('spawn open ENOENT');
    },
  });
  assert.match(failed.opened ? '' : failed.reason, /could not be started \(spawn open ENOENT\)/);
});

it('the BROWSER command gets none of the secrets (RC_CLIENT_SECRET, RC_JWT) but the rest of the environment', async () => {
  const dir = tempDir();
  const script = join(dir, 'browser.sh');
  writeFileSync(script, `#!/bin/sh\nenv > "${join(dir, 'env.txt')}"\n`, { mode: 0o755 });
  const env = { BROWSER: script, PATH: process.env.PATH, RC_CLIENT_SECRET: 's3cret', RC_JWT: 'a.b.c', KEEP_ME: 'yes' };
  assert.deepEqual(await openBrowser('http://x', { env, platform: 'linux' }), { opened: true });
  const deadline = Date.now() + 5000;
  while (!existsSync(join(dir, 'env.txt')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const seen = readFileSync(join(dir, 'env.txt'), 'utf8');
  assert.match(seen, /^KEEP_ME=yes$/m);
  assert.doesNotMatch(seen, /s3cret|RC_JWT|RC_CLIENT_SECRET/);
});
