import type { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { type DateRange, splitRange } from '../config/dates.js';

type ApiRecord = Record<string, unknown>;

/** How far back a run that holds running calls keeps track (a call running longer is cut off). */
export const RUNNING_HORIZON_MS = 86_400_000;

export interface WindowedQuery {
  path: string;
  filters: Record<string, unknown>;
  range: DateRange;
  /** Window size (--window); undefined = the whole range at once. */
  windowMs: number | undefined;
  /** Records starting this close to a window's end are remembered for the next run (--overlap). */
  overlapMs: number;
  pageSize: number;
  /** Ids written by an earlier run: fetched (to remember them) but not yielded again. */
  skip: ReadonlySet<string>;
  /**
   * Track the ids near each window's end (and running calls) for a --since-state checkpoint; off,
   * pages pass through untouched (a one-off export needs none of it).
   */
  remember: boolean;
  /** The record's time the range is about: `startTime` (calls, the default) or `creationTime` (messages). */
  timeField?: 'startTime' | 'creationTime';
  /**
   * --since-state: calls still `In Progress` are not written; the next run starts early enough to
   * read them again, final, and remembers every id it wrote since then.
   */
  holdRunning?: boolean;
}

export interface WindowDone {
  to: Date;
  overlapIds: string[];
  /** The start of the oldest call held back as running (with holdRunning). */
  runningFrom?: Date;
}

/**
 * A dated list (the call log, a mailbox), window by window (oldest first, records newest first within each). `onWindowDone`
 * runs only after the window's last page was consumed, so it is safe to checkpoint there.
 */
export async function* windowedPages(
  client: ApiClient,
  query: WindowedQuery,
  limit: number | undefined,
  onWindowDone: (done: WindowDone) => void,
): AsyncGenerator<ApiRecord[]> {
  // Every id with its start, from the horizon on: the next run may start as early as its oldest running call.
  const starts = new Map<string, number>();
  let runningFrom = Number.POSITIVE_INFINITY;
  const horizon = query.range.to.getTime() - RUNNING_HORIZON_MS;
  for (const window of splitRange(query.range, query.windowMs)) {
    const params = {
      ...query.filters,
      dateFrom: window.from.toISOString(),
      dateTo: window.to.toISOString(),
      perPage: Math.min(limit ?? query.pageSize, query.pageSize),
    };
    for await (const page of followPages<ApiRecord>(client, query.path, params)) {
      if (!query.remember) {
        yield page;
        continue;
      }
      const out: ApiRecord[] = [];
      for (const record of page) {
        const start = Date.parse(String(record[query.timeField ?? 'startTime']));
        const running = query.holdRunning === true && record.result === 'In Progress';
        if (running) runningFrom = Math.min(runningFrom, Math.max(start, horizon));
        else if (start >= Math.min(horizon, window.to.getTime() - query.overlapMs)) starts.set(String(record.id), start);
        if (!running && !query.skip.has(String(record.id))) out.push(record);
      }
      yield out;
    }
    // Remember every id the next run reads again, also those an earlier run wrote (skipped here).
    const from = Math.min(window.to.getTime() - query.overlapMs, runningFrom);
    const overlapIds = [...starts].filter(([, start]) => start >= from).map(([id]) => id);
    onWindowDone({ to: window.to, overlapIds, ...(Number.isFinite(runningFrom) ? { runningFrom: new Date(runningFrom) } : {}) });
  }
}
