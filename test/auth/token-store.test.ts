import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TokenStore } from '../../src/auth/token-store.js';
import { CliError } from '../../src/errors.js';
import { tempDir } from '../helpers/env.js';
import { storedSession } from '../helpers/fixtures.js';

const session = (accessToken = 'U1BCaccess') => storedSession({ accessToken });

describe('TokenStore', () => {
  it('writes 0600 files in 0700 directories, even under a permissive umask', async () => {
    const dir = join(tempDir(), 'conf');
    const old = process.umask(0o000);
    try {
      const store = new TokenStore(dir, 'default');
      await store.write(session());
      assert.equal(statSync(store.path).mode & 0o777, 0o600);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'profiles')).mode & 0o777, 0o700);
      assert.equal(store.read()?.tokens.access_token, 'U1BCaccess');
    } finally {
      process.umask(old);
    }
  });

  it('replaces the file atomically: readers only ever see whole files, and no temp files remain', async () => {
    const store = new TokenStore(tempDir(), 'default');
    await store.write(session('U1BC0'));
    let reads = 0;
    const writer = (async () => {
      for (let i = 1; i <= 200; i++) {
        await store.write({ ...session(`U1BC${i}`), savedAt: 'x'.repeat(i * 50) });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const reader = (async () => {
      for (let i = 0; i < 400; i++) {
        JSON.parse(readFileSync(store.path, 'utf8'));
        reads += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([writer, reader]);
    assert.equal(reads, 400);
    assert.equal(store.read()?.tokens.access_token, 'U1BC200');
    assert.deepEqual(readdirSync(join(store.configDir, 'profiles')), ['default.json']);
  });

  it('a damaged file is an error naming it; write() replaces it', async () => {
    const store = new TokenStore(tempDir(), 'default');
    store.ensureWritable();
    writeFileSync(store.path, 'not json');
    assert.throws(
      () => store.read(),
      (error: unknown) => error instanceof CliError && error.message.includes(store.path),
    );
    writeFileSync(store.path, '{"version":1}');
    assert.throws(() => store.read(), /damaged/);
    await store.write(session());
    assert.equal(store.read()?.user.extensionNumber, '101');
  });

  it('withLock runs callers one at a time', async () => {
    const store = new TokenStore(tempDir(), 'default');
    const events: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        store.withLock(async () => {
          events.push(`start ${n}`);
          await new Promise((resolve) => setTimeout(resolve, 30));
          events.push(`end ${n}`);
        }),
      ),
    );
    for (let i = 0; i < events.length; i += 2) assert.equal(events[i]?.split(' ')[1], events[i + 1]?.split(' ')[1]);
  });

  it('a lock left by a killed process goes stale within seconds', async () => {
    const store = new TokenStore(tempDir(), 'default');
    store.ensureWritable();
    mkdirSync(`${store.path}.lock`);
    const old = new Date(Date.now() - 10_000);
    utimesSync(`${store.path}.lock`, old, old);
    const started = Date.now();
    assert.equal(await store.withLock(async () => 'got it'), 'got it');
    assert.ok(Date.now() - started < 3000);
  });
});

describe('hostile lock files and profile names', () => {
  it('a lock dated in the future is treated as stale, not waited on for ever', async () => {
    const store = new TokenStore(tempDir(), 'default');
    store.ensureWritable();
    const lock = `${store.path}.lock`;
    mkdirSync(lock);
    const future = new Date(Date.now() + 86_400_000);
    utimesSync(lock, future, future);
    const started = Date.now();
    assert.equal(await store.withLock(async () => 'locked'), 'locked');
    assert.ok(Date.now() - started < 2000);
  });
});
