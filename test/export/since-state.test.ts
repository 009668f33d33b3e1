import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { SinceState } from '../../src/export/since-state.js';
import { tempDir } from '../helpers/env.js';

describe('SinceState', () => {
  it('a first run needs --from; a later one refuses it; --limit never goes with a state', () => {
    const file = join(tempDir(), 'state.json');
    assert.throws(() => SinceState.start(file, {}), /does not exist yet, so this first run needs --from/);
    assert.throws(() => SinceState.start(file, { from: '1d', limit: 5 }), /--limit cannot be combined/);
    const first = SinceState.start(file, { from: '1d' });
    assert.equal(first.startFrom(60_000), undefined);
    first.save('https://x', 'account', { to: new Date('2026-11-01T00:00:00Z'), overlapIds: ['a', 'b'] });
    assert.throws(
      () => SinceState.start(file, { from: '1d' }),
      (error: unknown) => error instanceof UsageError && /--from cannot/.test(error.message),
    );
    const next = SinceState.start(file, {});
    assert.equal(next.startFrom(5 * 60_000)?.toISOString(), '2026-10-31T23:55:00.000Z');
    assert.deepEqual([...next.alreadyWritten], ['a', 'b']);
  });

  it('belongs to one server and scope', () => {
    const file = join(tempDir(), 'state.json');
    SinceState.start(file, { from: '1d' }).save('https://x', 'account', { to: new Date(), overlapIds: [] });
    const state = SinceState.start(file, {});
    state.check('account', 'https://x');
    assert.throws(() => state.check('extension', 'https://x'), /belongs to the account call log of https:\/\/x/);
    assert.throws(() => state.check('account', 'https://y'), /belongs to/);
  });

  it('is written atomically with mode 0600; a damaged file is a usage error naming it', () => {
    const file = join(tempDir(), 'state.json');
    const old = process.umask(0);
    try {
      SinceState.start(file, { from: '1d' }).save('https://x', 'account', { to: new Date(), overlapIds: [] });
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version, 1);
    writeFileSync(file, '{"version":1}');
    assert.throws(() => SinceState.start(file, {}), /is not a call-log state file/);
  });
});
