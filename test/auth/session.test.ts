import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { fromSdkData } from '../../src/auth/sdk-tokens.js';
import { Session } from '../../src/auth/session.js';
import { type StoredSession, TokenStore } from '../../src/auth/token-store.js';
import { resolveProfile, resolveSettings } from '../../src/config/settings.js';
import { AuthError } from '../../src/errors.js';
import { createLogger } from '../../src/output/logger.js';
import { BASIC, jwtLogin, postForm, stats, type Tokens, useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/env.js';

/** The lost-race path: a refresh that meets invalid_grant re-reads the store once. */

const emulator = await useEmulator();

function stored(tokens: Tokens): StoredSession {
  const data = fromSdkData({
    ...tokens,
    expire_time: Date.now() + tokens.expires_in * 1000,
    refresh_token_expire_time: Date.now() + tokens.refresh_token_expires_in * 1000,
  });
  return {
    version: 1,
    server: emulator.url,
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: 'http://localhost:5000/oauth2callback',
    grant: 'jwt',
    tokens: data,
    user: { accountId: '1', extensionId: tokens.owner_id, extensionNumber: '101', name: 'Alex Morgan' },
    savedAt: '',
  };
}

/** A store whose file is rewritten behind our back (by a process that did not take the lock) after `reads` reads. */
class RacingStore extends TokenStore {
  private reads = 0;

  constructor(
    private readonly before: StoredSession,
    private readonly after: StoredSession,
    private readonly switchAfter: number,
  ) {
    super(tempDir(), 'default');
  }

  override read(): StoredSession {
    this.reads += 1;
    return this.reads <= this.switchAfter ? this.before : this.after;
  }

  override async write(): Promise<void> {}
}

async function rotate(tokens: Tokens): Promise<Tokens> {
  const res = await postForm(
    `${emulator.url}/restapi/oauth/token`,
    { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    { Authorization: BASIC },
  );
  return (await res.json()) as Tokens;
}

const deps = (store: TokenStore) => {
  const input = { flags: {}, env: { RINGCENTRAL_CONFIG_DIR: tempDir() }, cwd: tempDir() };
  return { settings: resolveSettings(resolveProfile(input), input), store, logger: createLogger() };
};

describe('Session.refresh', () => {
  it('after invalid_grant, adopts the tokens another process stored meanwhile', async () => {
    const first = await jwtLogin(emulator);
    const second = await rotate(first);
    const store = new RacingStore(stored(first), stored(second), 2);
    const session = Session.open(deps(store));
    const grants = (await stats(emulator)).tokenGrants.refresh_token;
    await session.refresh(first.access_token);
    assert.equal(session.stored.tokens.access_token, second.access_token);
    assert.equal((await stats(emulator)).tokenGrants.refresh_token, grants, 'the dead refresh token bought nothing');
  });

  it('after invalid_grant with an unchanged store: exit 4, nothing wiped', async () => {
    const first = await jwtLogin(emulator);
    await rotate(first);
    const store = new RacingStore(stored(first), stored(first), 99);
    const session = Session.open(deps(store));
    await assert.rejects(
      session.refresh(first.access_token),
      (error: unknown) => error instanceof AuthError && /revoked or has expired/.test(error.message),
    );
  });
});
