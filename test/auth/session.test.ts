import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { fromSdkData } from '../../src/auth/sdk-tokens.js';
import { Session } from '../../src/auth/session.js';
import { type StoredSession, TokenStore } from '../../src/auth/token-store.js';
import { resolveProfile, resolveSettings } from '../../src/config/settings.js';
import { AuthError, TemporaryError } from '../../src/errors.js';
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

/** A store on a full disk: its reserve (or its writes) go to /dev/full, which answers ENOSPC. */
class FullDiskStore extends TokenStore {
  constructor(
    private readonly session: StoredSession,
    private readonly failing: 'reserve' | 'write',
  ) {
    super(tempDir(), 'default');
  }

  protected override get reservePath(): string {
    return this.failing === 'reserve' ? '/dev/full' : super.reservePath;
  }

  override read(): StoredSession {
    return this.session;
  }

  override async write(): Promise<void> {
    if (this.failing === 'write') writeFileSync('/dev/full', 'x'.repeat(4096));
  }
}

describe('Session.refresh on a full disk', () => {
  it('finds the full disk before it spends the refresh token: exit 75, the session as it was', async () => {
    const tokens = await jwtLogin(emulator);
    const session = Session.open(deps(new FullDiskStore(stored(tokens), 'reserve')));
    const grants = (await stats(emulator)).tokenGrants.refresh_token;
    await assert.rejects(
      session.refresh(tokens.access_token),
      (error: unknown) =>
        error instanceof TemporaryError &&
        /no room to save a renewed session .*\(ENOSPC\): the session was not renewed/.test(error.message),
    );
    assert.equal((await stats(emulator)).tokenGrants.refresh_token, grants, 'the refresh token was not spent');
    assert.equal(session.stored.tokens.refresh_token, tokens.refresh_token);
  });

  it('a save that fails after the refresh keeps the new tokens for this command and says what to do', async () => {
    const tokens = await jwtLogin(emulator);
    const lines: string[] = [];
    const store = new FullDiskStore(stored(tokens), 'write');
    const session = Session.open({
      ...deps(store),
      logger: createLogger({ stream: { write: (text: string) => lines.push(text) > 0 } as never }),
    });
    await session.refresh(tokens.access_token);
    assert.notEqual(session.stored.tokens.access_token, tokens.access_token, 'renewed, in memory');
    assert.match(lines.join(''), /could not save the renewed session .*\(ENOSPC\).*run "ringcentral login" again/);
    assert.equal(existsSync(`${store.path}.reserve`), false, 'the reserve is gone');
  });
});
