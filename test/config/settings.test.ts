import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configDir } from '../../src/config/paths.js';
import { type ResolveInput, resolveProfile, resolveSettings, type SavedSettings } from '../../src/config/settings.js';
import { tempDir } from '../helpers/env.js';

/** Settings as a command resolves them: the profile first, then every layer. */
function settingsFor(input: ResolveInput, saved?: SavedSettings) {
  const env = { RINGCENTRAL_CONFIG_DIR: tempDir(), ...input.env };
  return resolveSettings(resolveProfile({ ...input, env }), { ...input, env }, saved);
}

describe('resolveProfile and resolveSettings', () => {
  it('flag > environment > .env > saved profile > default, and says where each came from', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, '.env'),
      '# quick-start template\nRC_CLIENT_ID=from-dotenv\nRC_CLIENT_SECRET="s3cret"\nOTHER=ignored\nRC_SERVER_URL=sandbox\n',
    );
    const saved = { clientId: 'from-profile', redirectUri: 'http://localhost:5009/cb', server: 'https://saved.example.com' };
    const settings = settingsFor({ flags: { server: 'http://127.0.0.1:9' }, env: { RC_CLIENT_ID: 'from-env' }, cwd }, saved);
    assert.deepEqual(settings.server, { value: 'http://127.0.0.1:9', source: 'flag' });
    assert.deepEqual(settings.clientId, { value: 'from-env', source: 'env' });
    assert.deepEqual(settings.clientSecret, { value: 's3cret', source: '.env' });
    assert.deepEqual(settings.redirectUri, { value: 'http://localhost:5009/cb', source: 'profile' });
    assert.equal(settings.envFileUsed, join(cwd, '.env'));
    const bare = settingsFor({ flags: {}, env: {}, cwd: tempDir() });
    assert.deepEqual(bare.server, { value: 'https://platform.ringcentral.com', source: 'default' });
    assert.equal(bare.redirectUri.value, 'http://localhost:5000/oauth2callback');
    assert.equal(bare.profile, 'default');
  });

  it('a .env with garbage names the line; a missing --env-file is a usage error', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), 'RC_CLIENT_ID=x\nthis is not a setting\n');
    assert.throws(() => settingsFor({ flags: {}, env: {}, cwd }), /\.env:2 is not a KEY=VALUE line/);
    assert.throws(() => settingsFor({ flags: { dotenv: 'missing.env' }, env: {}, cwd }), /--dotenv: cannot read/);
    assert.throws(() => settingsFor({ flags: { envFile: '.env' }, env: {}, cwd }), /--env-file is now --dotenv/);
  });

  it('.env: dotenv syntax (export, quotes, a multi-line quoted value); an explicit --profile is not redirected by ./.env', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, '.env'),
      'export RC_CLIENT_ID=exported\nRC_JWT="line one\nline two"\nRC_SERVER_URL=https://elsewhere.example.com\n# done\n',
    );
    const settings = settingsFor({ flags: {}, env: {}, cwd });
    assert.equal(settings.clientId.value, 'exported');
    assert.equal(settings.jwt.value, 'line one\nline two');
    assert.equal(settings.server.value, 'https://elsewhere.example.com');
    const explicit = settingsFor({ flags: { profile: 'work' }, env: {}, cwd }, { server: 'https://platform.ringcentral.com' });
    assert.deepEqual(explicit.server, { value: 'https://platform.ringcentral.com', source: 'profile' });
    assert.equal(explicit.envFileUsed, undefined);
    const asked = settingsFor({ flags: { profile: 'work', dotenv: '.env' }, env: {}, cwd });
    assert.equal(asked.server.value, 'https://elsewhere.example.com', '--dotenv is read as asked');
  });

  it('RC_PROFILE selects the profile; bad names are refused', () => {
    assert.equal(settingsFor({ flags: {}, env: { RC_PROFILE: 'work' }, cwd: tempDir() }).profile, 'work');
    assert.throws(() => settingsFor({ flags: { profile: '../etc' }, env: {}, cwd: tempDir() }), /--profile/);
  });

  it('the default profile comes from config.json unless a flag or RC_PROFILE names one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{"defaultProfile":"work"}');
    assert.equal(settingsFor({ flags: {}, env: { RINGCENTRAL_CONFIG_DIR: dir }, cwd: tempDir() }).profile, 'work');
    assert.equal(settingsFor({ flags: { profile: 'home' }, env: { RINGCENTRAL_CONFIG_DIR: dir }, cwd: tempDir() }).profile, 'home');
    writeFileSync(join(dir, 'config.json'), '{damaged');
    assert.equal(settingsFor({ flags: {}, env: { RINGCENTRAL_CONFIG_DIR: dir }, cwd: tempDir() }).profile, 'default');
  });

  it('the config dir follows RINGCENTRAL_CONFIG_DIR, then XDG_CONFIG_HOME', () => {
    assert.equal(configDir({ RINGCENTRAL_CONFIG_DIR: '/tmp/x' }), '/tmp/x');
    if (process.platform === 'linux') assert.equal(configDir({ XDG_CONFIG_HOME: '/tmp/xdg' }), '/tmp/xdg/ringcentral');
  });
});
