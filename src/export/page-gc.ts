/**
 * A long export hands each written page to the garbage collector at once, so that its memory does
 * not grow with its length (npm run bench: peak RSS of 200k vs 20k records):
 * - a minor GC between pages, when nothing of the page is alive any more: it costs less than a
 *   millisecond and leaves the young generation empty for the next page. Left alone, V8 collects
 *   in the middle of a page and promotes what is alive at that moment.
 * - a full GC whenever what is in use (V8's heap and the ArrayBuffers it holds the memory of) has
 *   grown by GROWTH since the first page after the last one: what was promoted all the same, or
 *   allocated in old space from the start (a page's text is about a megabyte), is garbage only a
 *   full collection frees, with the buffers it holds, and V8's first one comes late (about 2.5 s
 *   into an export on Node 20), after some 12 MB. About two per 200,000 records, a few ms each.
 *   Each call measures at the same point of a page (after its minor GC), so a page's own garbage
 *   is in every figure and is never taken for growth.
 *
 * `gc` is V8's own function, reached as the `expose-gc` package does it: the flag is set, and a
 * fresh context gets the function. Called without options it is a full GC (Node 20's V8 does not
 * know `{ type: 'major' }`, and runs a minor one for it). Where that fails, exports run as before.
 */

type Gc = (options?: { type: 'minor' }) => void;

interface Collector {
  gc: Gc;
  /** V8's heap in use, and the memory outside it that it holds (ArrayBuffers). */
  inUse(): number;
}

/** How much may be added between full collections. */
const GROWTH = 4 * 1024 * 1024;

let collector: Collector | null | undefined;
/** What was in use at the first call after the last full collection (or the first call of all). */
let floor: number | undefined;

async function exposeGc(): Promise<Collector | null> {
  try {
    const [{ getHeapStatistics, setFlagsFromString }, { runInNewContext }] = await Promise.all([import('node:v8'), import('node:vm')]);
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    const inUse = () => {
      const stats = getHeapStatistics();
      return stats.used_heap_size + stats.external_memory;
    };
    return typeof found === 'function' ? { gc: found as Gc, inUse } : null;
  } catch {
    return null;
  }
}

/** Called when what was written (a page, some megabytes of a download) is garbage; the first call loads what it needs. */
export async function collectWritten(): Promise<void> {
  if (collector === undefined) collector = await exposeGc();
  if (!collector) return;
  collector.gc({ type: 'minor' });
  const used = collector.inUse();
  if (floor === undefined) {
    floor = used;
    return;
  }
  if (used - floor <= GROWTH) return;
  collector.gc();
  // Measured again at the next call, as every call measures: after a minor GC, with a page's garbage.
  floor = undefined;
}
