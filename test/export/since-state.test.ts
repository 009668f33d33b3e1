import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TemporaryError, UsageError } from '../../src/errors.js';
import { SinceState, STATE_LOCK_WAIT_MS, type SyncState } from '../../src/export/since-state.js';
import { tempDir } from '../helpers/env.js';

async function saved(file: string, state: { to: Date; overlapIds: string[] }, options = {}): Promise<void> {
  const run = await SinceState.start(file, { from: '1d', ...options });
  run.save('https://x', 'account', state);
  await run.end();
}

describe('SinceState', () => {
  it('a first run needs no --from (the default applies); a later one refuses --from unless --reset-state; --limit never goes with a state', async () => {
    const file = join(tempDir(), 'state.json');
    const first = await SinceState.start(file, {});
    assert.equal(first.previous, undefined);
    assert.equal(first.startFrom(60_000), undefined);
    await first.end();
    await assert.rejects(SinceState.start(file, { from: '1d', limit: 5 }), /--limit cannot be combined/);
    await saved(file, { to: new Date('2026-11-01T00:00:00Z'), overlapIds: ['a', 'b'] });
    await assert.rejects(
      SinceState.start(file, { from: '1d' }),
      (error: unknown) => error instanceof UsageError && /--reset-state/.test(error.hint ?? ''),
    );
    const next = await SinceState.start(file, {});
    assert.equal(next.startFrom(5 * 60_000)?.toISOString(), '2026-10-31T23:55:00.000Z');
    assert.deepEqual([...next.alreadyWritten], ['a', 'b']);
    await next.end();
    const reset = await SinceState.start(file, { from: '1d', resetState: true });
    assert.equal(reset.previous, undefined);
    await reset.end();
  });

  it('one run at a time: a second waits for the lock, then gives up with exit 75', async () => {
    const file = join(tempDir(), 'state.json');
    const holder = await SinceState.start(file, {});
    const started = Date.now();
    await assert.rejects(
      SinceState.start(file, { lockWaitMs: 400 }),
      (error: unknown) => error instanceof TemporaryError && /another run is exporting/.test(error.message),
    );
    assert.ok(Date.now() - started >= 380, 'it waited first');
    assert.equal(STATE_LOCK_WAIT_MS, 30_000, 'the documented wait');
    await holder.end();
    await (await SinceState.start(file, {})).end();
  });

  it('belongs to one server and scope', async () => {
    const file = join(tempDir(), 'state.json');
    await saved(file, { to: new Date(), overlapIds: [] });
    const state = await SinceState.start(file, {});
    state.check('account', 'https://x');
    assert.throws(() => state.check('extension', 'https://x'), /belongs to the account call log of https:\/\/x/);
    assert.throws(() => state.check('account', 'https://y'), /belongs to/);
    await state.end();
  });

  it('is written atomically with mode 0600; a damaged file is a usage error naming it', async () => {
    const file = join(tempDir(), 'state.json');
    const old = process.umask(0);
    try {
      await saved(file, { to: new Date(), overlapIds: [] });
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version, 1);
    writeFileSync(file, '{"version":1}');
    await assert.rejects(SinceState.start(file, {}), /is not a call-log state file/);
  });

  it('with --output, a sync state moves in two phases: a run killed after its file appeared is completed by the next, one killed before is undone', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const output = join(dir, 'out.ndjson');
    const state = (syncTime: string): SyncState => ({
      version: 2,
      server: 'https://x',
      scope: 'account',
      mode: 'final',
      origin: '2026-11-01T00:00:00.000Z',
      syncTime,
      forgetBefore: '2026-11-01T00:00:00.000Z',
      seen: { a: 1 },
      updatedAt: syncTime,
    });
    const first = await SinceState.start(file, {});
    first.saveSync(state('2026-11-02T00:00:00.000Z'));
    await first.end();
    // Killed after FILE.next named the finished output and the output was renamed into place.
    const second = await SinceState.start(file, {});
    writeFileSync(`${output}.tmp`, '{"id":"b"}\n');
    second.prepare(state('2026-11-03T00:00:00.000Z'), output, statSync(`${output}.tmp`));
    renameSync(`${output}.tmp`, output);
    await second.end();
    const third = await SinceState.start(file, {});
    assert.equal(third.synced?.syncTime, '2026-11-03T00:00:00.000Z', 'completed');
    assert.equal(existsSync(`${file}.next`), false);
    // Killed before the output was put in place: the next run starts from the last state.
    writeFileSync(`${output}.tmp`, '{"id":"c"}\n{"id":"d"}\n');
    third.prepare(state('2026-11-04T00:00:00.000Z'), output, statSync(`${output}.tmp`));
    await third.end();
    const fourth = await SinceState.start(file, {});
    assert.equal(fourth.synced?.syncTime, '2026-11-03T00:00:00.000Z', 'undone');
    assert.equal(existsSync(`${file}.next`), false);
    await fourth.end();
  });
});
