import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configDir, parseRedirectUri, parseServer, resolveSettings } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/env.js';

describe('parseServer', () => {
  it('knows production and sandbox, and takes https URLs or http on loopback', () => {
    assert.equal(parseServer('production'), 'https://platform.ringcentral.com');
    assert.equal(parseServer('sandbox'), 'https://platform.devtest.ringcentral.com');
    assert.equal(parseServer('https://platform.example.com/'), 'https://platform.example.com');
    assert.equal(parseServer('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  });

  for (const bad of [
    'platform.ringcentral.com',
    'http://platform.ringcentral.com',
    'ftp://x',
    'https://x.com/restapi',
    'https://x.com/?a=1',
  ]) {
    it(`refuses ${bad}`, () =>
      assert.throws(
        () => parseServer(bad),
        (error: unknown) => error instanceof UsageError && /--server/.test(error.message),
      ));
  }
});

describe('parseRedirectUri', () => {
  it('takes loopback http URIs with a port and a path', () => {
    for (const good of ['http://localhost:5000/oauth2callback', 'http://127.0.0.1:5001/cb', 'http://[::1]:5002/cb']) {
      assert.equal(parseRedirectUri(good), good);
    }
  });

  for (const [bad, why] of [
    ['https://localhost:5000/cb', /http/],
    ['http://example.com:5000/cb', /this machine/],
    ['http://localhost/cb', /port/],
    ['http://localhost:5000/', /path/],
    ['http://localhost:99999/cb', /not a URL/],
    ['nonsense', /not a URL/],
  ] as const) {
    it(`refuses ${bad}`, () => assert.throws(() => parseRedirectUri(bad), why));
  }
});

describe('resolveSettings', () => {
  it('flag > environment > .env > saved profile > default, and says where each came from', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, '.env'),
      '# quick-start template\nRC_CLIENT_ID=from-dotenv\nRC_CLIENT_SECRET="s3cret"\nOTHER=ignored\nRC_SERVER_URL=sandbox\n',
    );
    const saved = () => ({ clientId: 'from-profile', redirectUri: 'http://localhost:5009/cb', server: 'https://saved.example.com' });
    const settings = resolveSettings({ flags: { server: 'http://127.0.0.1:9' }, env: { RC_CLIENT_ID: 'from-env' }, cwd, saved });
    assert.deepEqual(settings.server, { value: 'http://127.0.0.1:9', source: 'flag' });
    assert.deepEqual(settings.clientId, { value: 'from-env', source: 'env' });
    assert.deepEqual(settings.clientSecret, { value: 's3cret', source: '.env' });
    assert.deepEqual(settings.redirectUri, { value: 'http://localhost:5009/cb', source: 'profile' });
    assert.equal(settings.envFileUsed, join(cwd, '.env'));
    const bare = resolveSettings({ flags: {}, env: {}, cwd: tempDir() });
    assert.deepEqual(bare.server, { value: 'https://platform.ringcentral.com', source: 'default' });
    assert.equal(bare.redirectUri.value, 'http://localhost:5000/oauth2callback');
    assert.equal(bare.profile, 'default');
  });

  it('a .env with garbage names the line; a missing --env-file is a usage error', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'RC_CLIENT_ID=x\nthis is not a setting\n');
    assert.throws(() => resolveSettings({ flags: {}, env: {}, cwd }), /\.env:2 is not a KEY=VALUE line/);
    assert.throws(() => resolveSettings({ flags: { envFile: 'missing.env' }, env: {}, cwd }), /--env-file: cannot read/);
  });

  it('RC_PROFILE selects the profile; bad names are refused', () => {
    assert.equal(resolveSettings({ flags: {}, env: { RC_PROFILE: 'work' }, cwd: tempDir() }).profile, 'work');
    assert.throws(() => resolveSettings({ flags: { profile: '../etc' }, env: {}, cwd: tempDir() }), /--profile/);
  });

  it('the config dir follows RINGCENTRAL_CONFIG_DIR, then XDG_CONFIG_HOME', () => {
    assert.equal(configDir({ RINGCENTRAL_CONFIG_DIR: '/tmp/x' }), '/tmp/x');
    if (process.platform === 'linux') assert.equal(configDir({ XDG_CONFIG_HOME: '/tmp/xdg' }), '/tmp/xdg/ringcentral');
  });
});
