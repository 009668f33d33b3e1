import assert from 'node:assert/strict';
import { constants, type NodeGCPerformanceDetail, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { it } from 'node:test';
import { collectWritten } from '../../src/export/page-gc.js';

/**
 * src/export/page-gc.ts: between pages a minor GC, and a full one only once the heap has grown by
 * its threshold (what was promoted is garbage only a full GC frees). GCs are seen as Node reports them.
 */

async function gcKinds(action: () => Promise<void>): Promise<number[]> {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    // A gc entry carries its kind in `detail` (not in @types/node 20's PerformanceEntry).
    for (const entry of list.getEntries() as (PerformanceEntry & { detail: NodeGCPerformanceDetail })[]) kinds.push(entry.detail.kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  await action();
  // Entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return kinds;
}

/** Elements of 8 bytes (small integers: no conversion, no second copy), `mb` megabytes in all. */
const megabytes = (mb: number): number[] => new Array(Math.round((mb * 1024 * 1024) / 8)).fill(0);

it('between pages a minor GC; a full one only once what is in use has grown past 4 MB, not before', async () => {
  // Whatever earlier tests left: at most one full GC, after which the next call sets the mark.
  for (let i = 0; i < 3; i++) await collectWritten();
  const quiet = await gcKinds(() => collectWritten());
  assert.ok(quiet.includes(constants.NODE_PERFORMANCE_GC_MINOR), `a minor GC ran (kinds: ${quiet})`);
  assert.ok(!quiet.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `no full GC without growth (kinds: ${quiet})`);
  // 2.5 MB alive across a minor GC (so promoted), then garbage: below the threshold.
  let first: number[] | undefined = megabytes(2.5);
  const before = await gcKinds(() => collectWritten());
  assert.ok(first.length > 0);
  first = undefined;
  assert.ok(!before.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `no full GC at 2.5 MB (kinds: ${before})`);
  // Another 2.5 MB: 5 MB over the mark.
  const second = megabytes(2.5);
  const kinds = await gcKinds(() => collectWritten());
  assert.ok(second.length > 0);
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `a full GC at 5 MB (kinds: ${kinds})`);
});
