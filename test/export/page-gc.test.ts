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

it('between pages: a minor GC, and no full one while the heap has not grown', async () => {
  await collectWritten();
  const kinds = await gcKinds(() => collectWritten());
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MINOR), `a minor GC ran (kinds: ${kinds})`);
  assert.ok(!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `no full GC (kinds: ${kinds})`);
});

/** Elements of 8 bytes (small integers: no conversion, no second copy), `mb` megabytes in all. */
const megabytes = (mb: number): number[] => new Array(Math.round((mb * 1024 * 1024) / 8)).fill(0);

it('a full GC once the old generation has grown past the threshold (4 MB): not before', async () => {
  // Whatever earlier tests left: 6 MB more forces a full GC, which sets the mark this test counts from.
  let settle: number[] | undefined = megabytes(6);
  await collectWritten();
  assert.ok(settle.length > 0);
  settle = undefined;
  // 2.5 MB alive across a minor GC (so promoted), then garbage: below the threshold, no full GC yet.
  let first: number[] | undefined = megabytes(2.5);
  const before = await gcKinds(() => collectWritten());
  assert.ok(first.length > 0);
  first = undefined;
  assert.ok(!before.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `no full GC at 2.5 MB (kinds: ${before})`);
  // Another 2.5 MB: 5 MB over the last full GC.
  const second = megabytes(2.5);
  const kinds = await gcKinds(() => collectWritten());
  assert.ok(second.length > 0);
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `a full GC at 5 MB (kinds: ${kinds})`);
});
