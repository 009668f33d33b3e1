import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeReader, planChanges, REMEMBER_MS } from '../../src/export/call-log-changes.js';

/** What a --since-state run on the company log emits from the changes it reads, and what it remembers. */

const T = Date.parse('2026-11-20T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const call = (id: string, startMs: number, extra: Record<string, unknown> = {}) => ({
  id,
  startTime: iso(startMs),
  duration: 60,
  durationMs: 60_000,
  result: 'Accepted',
  lastModifiedTime: iso(startMs + 60_000),
  ...extra,
});

describe('ChangeReader (plain mode: each call once, in final form)', () => {
  it('skips running, deleted, out-of-range and already exported calls; remembers what it emitted until it is long over', () => {
    const reader = new ChangeReader(planChanges('final', undefined, T - 86_400_000, 300_000, 'Simple'));
    const picked = reader.select([
      call('running', T - 1000, { result: 'In Progress', duration: undefined, durationMs: undefined }),
      call('gone', T - 5000, { deleted: true }),
      call('old', T - 2 * 86_400_000),
      call('a', T - 10_000),
      call('a', T - 10_000, { lastModifiedTime: iso(T) }),
      call('b', T - 20_000),
    ]);
    assert.deepEqual(
      picked.map((r) => r.id),
      ['a', 'b'],
    );
    const state = reader.nextState('https://x', undefined, new Date(T));
    assert.deepEqual(Object.keys(state.seen).sort(), ['a', 'b']);
    assert.equal(state.mode, 'final');
    // The next run: its re-read brings a and b back (a modified): nothing twice; the running call is now final.
    const next = new ChangeReader(planChanges('final', { ...state, syncTime: iso(T) }, 0, 300_000, 'Simple'));
    assert.equal(next.select([call('a', T - 10_000, { lastModifiedTime: iso(T + 1) })]).length, 0);
    assert.deepEqual(
      next.select([call('running', T - 1000)]).map((r) => r.id),
      ['running'],
    );
    // Days later the remembered ids are gone, and a change to a call that ended before then is not news.
    const later = T + REMEMBER_MS + 86_400_000;
    const pruned = new ChangeReader(planChanges('final', { ...state, syncTime: iso(later) }, 0, 300_000, 'Simple'));
    const prunedState = pruned.nextState('https://x', state, new Date(later));
    assert.deepEqual(prunedState.seen, {});
    const after = new ChangeReader(planChanges('final', { ...prunedState, syncTime: iso(later) }, 0, 300_000, 'Simple'));
    assert.equal(after.select([call('b', T - 20_000, { lastModifiedTime: iso(later) })]).length, 0);
  });
});

describe('ChangeReader (--changes: every version, and deletions)', () => {
  it('emits each new version once and deletions as {id, deleted: true}; never a running call', () => {
    const reader = new ChangeReader(planChanges('changes', undefined, T - 86_400_000, 300_000, 'Detailed'));
    const first = reader.select([
      call('a', T - 10_000),
      call('a', T - 10_000),
      call('r', T - 1000, { result: 'In Progress' }),
      call('d', T - 9000, { deleted: true, lastModifiedTime: iso(T) }),
    ]);
    assert.deepEqual(first, [call('a', T - 10_000), { id: 'd', deleted: true }]);
    const state = reader.nextState('https://x', undefined, new Date(T));
    const next = new ChangeReader(planChanges('changes', { ...state, syncTime: iso(T) }, 0, 300_000, 'Detailed'));
    assert.deepEqual(
      next.select([call('a', T - 10_000), call('a', T - 10_000, { lastModifiedTime: iso(T + 5) })]).map((r) => r.lastModifiedTime),
      [iso(T + 5)],
    );
  });
});
