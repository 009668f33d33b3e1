import type { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { type DateRange, splitRange } from '../config/dates.js';

type CallRecord = Record<string, unknown>;

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
}

export interface WindowDone {
  to: Date;
  overlapIds: string[];
}

/**
 * The call log, window by window (oldest first, records newest first within each). `onWindowDone`
 * runs only after the window's last page was consumed, so it is safe to checkpoint there.
 */
export async function* windowedPages(
  client: ApiClient,
  query: WindowedQuery,
  limit: number | undefined,
  onWindowDone: (done: WindowDone) => void,
): AsyncGenerator<CallRecord[]> {
  for (const window of splitRange(query.range, query.windowMs)) {
    const overlapIds: string[] = [];
    const params = {
      ...query.filters,
      dateFrom: window.from.toISOString(),
      dateTo: window.to.toISOString(),
      perPage: Math.min(limit ?? query.pageSize, query.pageSize),
    };
    for await (const page of followPages<CallRecord>(client, query.path, params)) {
      // Remember every id in the next run's overlap, also those an earlier run wrote (skipped here).
      for (const record of page) {
        if (Date.parse(String(record.startTime)) >= window.to.getTime() - query.overlapMs) overlapIds.push(String(record.id));
      }
      yield page.filter((record) => !query.skip.has(String(record.id)));
    }
    onWindowDone({ to: window.to, overlapIds });
  }
}
