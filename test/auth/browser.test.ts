import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openBrowser } from '../../src/auth/browser.js';

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
  const ok = await openBrowser(URL_WITH_AMPERSANDS, { env: { BROWSER: 'true --flag' }, platform: 'linux' });
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
