/**
 * A long export hands each written page to the garbage collector at once: a minor GC between
 * pages, when nothing of the page is alive any more, costs less than a millisecond and leaves the
 * young generation empty for the next page. Left alone, V8 collects in the middle of a page,
 * copies and promotes what is alive at that moment, and the old generation (and so the peak RSS)
 * grows with the length of the export (npm run bench: 200k vs 20k records).
 *
 * `gc` is V8's own function, reached as the `expose-gc` package does it: the flag is set, and a
 * fresh context gets the function. Where that fails, exports run as before.
 */

type Gc = (options: { type: 'minor' | 'major' }) => void;

let gc: Gc | null | undefined;

async function exposeGc(): Promise<Gc | null> {
  try {
    const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([import('node:v8'), import('node:vm')]);
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    return typeof found === 'function' ? (found as Gc) : null;
  } catch {
    return null;
  }
}

/** Runs a minor GC (the first call loads what it needs; a one-page export never calls it). */
export async function collectYoungGeneration(): Promise<void> {
  if (gc === undefined) gc = await exposeGc();
  gc?.({ type: 'minor' });
}
