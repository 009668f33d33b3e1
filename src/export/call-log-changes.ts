import type { ApiClient } from '../api/client.js';
import { PATHS } from '../api/endpoints.js';
import { CliError } from '../errors.js';
import type { SyncMode, SyncState } from './since-state.js';

/**
 * --since-state on the company call log, driven by call-log-extract-sync: each run reads every
 * record changed since a little before the last run's server time (one Heavy request per 1000
 * changes) and picks what to emit:
 * - plain mode: calls in final form (never `In Progress`), each once, whatever their start time;
 * - --changes: every new version of a call (by lastModifiedTime), and deletions as
 *   `{"id": …, "deleted": true}`.
 * The re-read margin (--overlap) covers records that become visible after the time they carry
 * (a final record is dated when its call ended, and appears 15-30 s later); what the margin
 * brings back twice is recognised by the ids (and versions) the state remembers.
 */

type CallRecord = Record<string, unknown>;

/** How long plain mode remembers an exported call, counted from its end. */
export const REMEMBER_MS = 2 * 86_400_000;
const PAGE_SIZE = 1000;

interface ExtractSyncResponse {
  records?: CallRecord[];
  syncInfo?: { syncToken?: string; syncTime?: string; newerRecordsExist?: boolean };
}

export interface ChangePlan {
  mode: SyncMode;
  /** Calls that started before this (ms) are outside the export. */
  origin: number;
  /** Changes at or after this (ms) are read. */
  readFrom: number;
  /** The re-read margin (ms): what the next run reads again before this run's server time. */
  overlapMs: number;
  view: 'Simple' | 'Detailed';
  /** What earlier runs emitted (see SyncState.seen). */
  seen: Record<string, number | string>;
  forgetBefore: number;
}

/** The plan of a run: from the last run's state, or a first run from `origin`. */
export function planChanges(
  mode: SyncMode,
  previous: SyncState | undefined,
  origin: number,
  overlapMs: number,
  view: 'Simple' | 'Detailed',
): ChangePlan {
  if (!previous) return { mode, origin, readFrom: origin, overlapMs, view, seen: {}, forgetBefore: Number.NEGATIVE_INFINITY };
  return {
    mode,
    origin: Date.parse(previous.origin),
    readFrom: Date.parse(previous.syncTime) - overlapMs,
    overlapMs,
    view,
    seen: { ...previous.seen },
    forgetBefore: Date.parse(previous.forgetBefore),
  };
}

export class ChangeReader {
  /** The server's time when the first read was answered: where the next run continues. */
  private syncTime: number | undefined;
  private readonly seen: Map<string, number | string>;
  /** Whether every page was read (a reader that stopped early must not move the state). */
  complete = false;

  constructor(private readonly plan: ChangePlan) {
    this.seen = new Map(Object.entries(plan.seen));
  }

  /** Pages of records to emit: FSync from `readFrom`, then ISync while newer records exist. */
  async *pages(client: ApiClient): AsyncGenerator<CallRecord[]> {
    let query: Record<string, unknown> = {
      syncType: 'FSync',
      dateFrom: new Date(this.plan.readFrom).toISOString(),
      recordCount: PAGE_SIZE,
      view: this.plan.view,
    };
    for (;;) {
      const response = await client.get<ExtractSyncResponse>(PATHS.accountCallLogExtractSync, query);
      const info = response.syncInfo;
      const syncTime = Date.parse(info?.syncTime ?? '');
      if (!info?.syncToken || Number.isNaN(syncTime)) {
        throw new CliError("RingCentral's call-log-extract-sync answer has no syncInfo: nothing was exported");
      }
      this.syncTime ??= syncTime;
      yield this.select(response.records ?? []);
      if (!info.newerRecordsExist) {
        this.complete = true;
        return;
      }
      query = { syncType: 'ISync', syncToken: info.syncToken, view: this.plan.view };
    }
  }

  /** What of a page to emit, remembering it. */
  select(records: readonly CallRecord[]): CallRecord[] {
    const out: CallRecord[] = [];
    for (const record of records) {
      const picked = this.plan.mode === 'final' ? this.finalForm(record) : this.change(record);
      if (picked) out.push(picked);
    }
    return out;
  }

  private finalForm(record: CallRecord): CallRecord | undefined {
    if (record.deleted === true || record.result === 'In Progress') return undefined;
    const start = Date.parse(String(record.startTime));
    const id = String(record.id);
    if (!(start >= this.plan.origin) || this.seen.has(id)) return undefined;
    const end = start + callLength(record);
    // Ended long before the last run: exported then (a later change of it, say a recording).
    if (end < this.plan.forgetBefore) return undefined;
    this.seen.set(id, end);
    return record;
  }

  private change(record: CallRecord): CallRecord | undefined {
    const deleted = record.deleted === true;
    if (!deleted && record.result === 'In Progress') return undefined;
    if (!(Date.parse(String(record.startTime)) >= this.plan.origin)) return undefined;
    const id = String(record.id);
    const version = `${deleted ? 'deleted ' : ''}${String(record.lastModifiedTime ?? '')}`;
    if (this.seen.get(id) === version) return undefined;
    this.seen.set(id, version);
    return deleted ? { id: record.id, deleted: true } : record;
  }

  /** The state after a complete run. */
  nextState(server: string, previous: SyncState | undefined, now: Date): SyncState {
    const syncTime = this.syncTime ?? this.plan.readFrom;
    const forgetBefore = Math.max(this.plan.forgetBefore, syncTime - REMEMBER_MS);
    const keepFrom = syncTime - this.plan.overlapMs;
    const seen: Record<string, number | string> = {};
    for (const [id, value] of this.seen) {
      // Plain: ends before forgetBefore are skipped anyway. --changes: older versions are never re-read.
      const keep = typeof value === 'number' ? value >= forgetBefore : Date.parse(value.replace(/^deleted /, '')) >= keepFrom;
      if (keep) seen[id] = value;
    }
    return {
      version: 2,
      server,
      scope: 'account',
      mode: this.plan.mode,
      origin: previous?.origin ?? new Date(this.plan.origin).toISOString(),
      syncTime: new Date(syncTime).toISOString(),
      forgetBefore: new Date(Number.isFinite(forgetBefore) ? forgetBefore : this.plan.origin).toISOString(),
      seen,
      updatedAt: now.toISOString(),
    };
  }
}

/** How long a record says its call lasted (ms). */
function callLength(record: CallRecord): number {
  if (typeof record.durationMs === 'number') return record.durationMs;
  return typeof record.duration === 'number' ? record.duration * 1000 : 0;
}
