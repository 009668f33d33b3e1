import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient } from '../../src/api/client.js';
import { type WindowDone, windowedPages } from '../../src/export/windows.js';

/** A stand-in client serving one page per window: the calls that started in [dateFrom, dateTo). */
function clientFor(calls: { id: string; startTime: string }[]): { client: ApiClient; queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = [];
  const client = {
    async get(_path: string, query: Record<string, unknown>) {
      queries.push(query);
      const [from, to] = [Date.parse(String(query.dateFrom)), Date.parse(String(query.dateTo))];
      return { records: calls.filter((c) => Date.parse(c.startTime) >= from && Date.parse(c.startTime) < to).reverse() };
    },
  } as unknown as ApiClient;
  return { client, queries };
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();

describe('windowedPages', () => {
  it('walks windows oldest first, skips what an earlier run wrote, and reports each window after its last page', async () => {
    const calls = [0, 10, 25, 50, 55, 58].map((m) => ({ id: `c${m}`, startTime: at(m) }));
    const { client, queries } = clientFor(calls);
    const done: WindowDone[] = [];
    const seen: string[] = [];
    const query = {
      path: '/call-log',
      filters: { view: 'Simple' },
      range: { from: new Date(at(0)), to: new Date(at(60)) },
      windowMs: 30 * 60_000,
      overlapMs: 10 * 60_000,
      pageSize: 1000,
      skip: new Set(['c0']),
      remember: true,
    };
    for await (const page of windowedPages(client, query, undefined, (d) => done.push(d))) {
      seen.push(...page.map((r) => String(r.id)));
      assert.equal(done.length, queries.length - 1, 'a window is reported only after its pages were consumed');
    }
    assert.deepEqual(seen, ['c25', 'c10', 'c58', 'c55', 'c50']);
    assert.deepEqual(
      queries.map((q) => [q.dateFrom, q.dateTo, q.view]),
      [
        [at(0), at(30), 'Simple'],
        [at(30), at(60), 'Simple'],
      ],
    );
    assert.deepEqual(
      done.map((d) => [d.to.toISOString(), d.overlapIds]),
      [
        [at(30), ['c25']],
        [at(60), ['c58', 'c55', 'c50']],
      ],
    );
  });
});
