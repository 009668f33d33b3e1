import type { Context } from '../context.js';
import type { CallView } from '../data/dataset.js';
import { apiError, invalidParameter } from '../http.js';
import { callLogOwner } from './call-log.js';
import { canonicalAccountPath, Query } from './query.js';
import type { RestRequest } from './routes.js';

/**
 * The call log's own incremental APIs (Heavy): `call-log-sync` (company and user; FSync sets a
 * frame of start times and returns its newest records, ISync the changes since the token, at most
 * 250) and `call-log-extract-sync` (company; every record changed at or after `dateFrom`, oldest
 * change first, up to 1000 a page, then ISync while `newerRecordsExist`).
 *
 * A token remembers a moment, not a changeset: a change dated before it that becomes visible after
 * it (a final record, `lag` after its call ended) is not in the next ISync. The docs do not say
 * otherwise, so the emulator takes the reading that loses records for a client that trusts tokens.
 */

const DAY_MS = 86_400_000;
const SYNC_ISYNC_MAX = 250;
const EXTRACT_DEFAULT = 250;
const EXTRACT_MAX = 1000;

interface SyncToken {
  /** Which API issued it. */
  k: 'sync' | 'extract';
  /** Changes after this instant (ms) are new to the holder. */
  c: number;
  /** The user whose session asked. */
  u: number;
  /** call-log-sync: frame start, owner's extension index (null: company), Missed only. */
  f?: number;
  e?: number | null;
  m?: boolean;
}

function encodeToken(token: SyncToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string | undefined, kind: SyncToken['k'], user: number): SyncToken {
  if (text === undefined) throw apiError(400, 'CMN-101', 'Parameter [syncToken] is required for ISync', { parameterName: 'syncToken' });
  let token: Partial<SyncToken> | undefined;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<SyncToken>;
  } catch {
    token = undefined;
  }
  if (!token || token.k !== kind || typeof token.c !== 'number' || token.u !== user) throw invalidParameter('syncToken', text);
  return token as SyncToken;
}

function syncType(query: Query): 'FSync' | 'ISync' {
  return query.oneOf('syncType', ['FSync', 'ISync'] as const) ?? 'FSync';
}

function recordUri(ctx: Context, origin: string, path: string, params: URLSearchParams): string {
  const query = params.toString();
  return `${origin}${canonicalAccountPath(ctx)}${path}${query ? `?${query}` : ''}`;
}

/** GET .../account/{accountId}/call-log-extract-sync */
export function extractSyncCallLog({ ctx, session, params, origin, accountId }: RestRequest): unknown {
  const query = new Query(params, ['syncType', 'syncToken', 'dateFrom', 'recordCount', 'view', 'metadataCategory']);
  callLogOwner({ ctx, session, accountId, extensionId: undefined });
  const type = syncType(query);
  const view: CallView = query.oneOf('view', ['Simple', 'Detailed'] as const) ?? 'Simple';
  query.many('metadataCategory');
  const now = ctx.now();
  let after: number;
  let limit: number;
  if (type === 'FSync') {
    after = (query.date('dateFrom') ?? now - 3_600_000) - 1;
    limit = query.integer('recordCount', EXTRACT_DEFAULT, 1);
    if (limit > EXTRACT_MAX) throw invalidParameter('recordCount', String(limit));
  } else {
    if (params.has('recordCount')) throw invalidParameter('recordCount', params.get('recordCount') ?? '');
    after = decodeToken(query.one('syncToken'), 'extract', session.extensionIndex).c;
    limit = EXTRACT_DEFAULT;
  }
  const changes = ctx.calls.changesFrom(after + 1, now);
  // The page ends at `limit`, stretched over every change in the same millisecond as the last one.
  let end = Math.min(limit, changes.length);
  while (end > 0 && end < changes.length && changes[end]?.lastModified === changes[end - 1]?.lastModified) end++;
  const page = changes.slice(0, end);
  const newerRecordsExist = end < changes.length;
  // A token covers what was answered, up to the millisecond before this one (a change later in the
  // same millisecond must not be lost to the clock's resolution: it comes again rather than never).
  const cursor = Math.min(newerRecordsExist ? (page.at(-1)?.lastModified ?? after) : now, now - 1);
  return {
    uri: recordUri(ctx, origin, '/call-log-extract-sync', params),
    records: page.map((change) => ctx.calls.render(change.serial, view, origin, 'account', now)),
    syncInfo: {
      syncType: type,
      syncToken: encodeToken({ k: 'extract', c: cursor, u: session.extensionIndex }),
      syncTime: new Date(now).toISOString(),
      newerRecordsExist,
    },
  };
}

/** GET .../account/{accountId}/call-log-sync and .../extension/{extensionId}/call-log-sync */
export function syncCallLog({ ctx, session, params, origin, accountId, extensionId }: RestRequest): unknown {
  const query = new Query(params, [
    'syncType',
    'syncToken',
    'dateFrom',
    'recordCount',
    'statusGroup',
    'view',
    'showDeleted',
    'withRecording',
    'recordingType',
    'metadataCategory',
  ]);
  const owner = callLogOwner({ ctx, session, accountId, extensionId });
  const type = syncType(query);
  const view: CallView = query.oneOf('view', ['Simple', 'Detailed'] as const) ?? 'Simple';
  const groups = query.manyOf('statusGroup', ['Missed', 'All'] as const);
  const showDeleted = query.boolean('showDeleted') ?? false;
  query.boolean('withRecording');
  query.oneOf('recordingType', ['Automatic', 'OnDemand', 'All'] as const);
  query.many('metadataCategory');
  const now = ctx.now();
  const scope = owner === undefined ? 'account' : 'extension';
  const path = owner === undefined ? '/call-log-sync' : `/extension/${owner.id}/call-log-sync`;
  let token: SyncToken;
  let serials: number[];
  if (type === 'FSync') {
    if (!params.has('recordCount'))
      throw apiError(400, 'CMN-101', 'Parameter [recordCount] is required for FSync', { parameterName: 'recordCount' });
    const count = query.integer('recordCount', 0, 1);
    if (count > SYNC_ISYNC_MAX) throw invalidParameter('recordCount', String(count));
    const dateFrom = query.date('dateFrom');
    if (dateFrom !== undefined && dateFrom < now - 30 * DAY_MS) throw invalidParameter('dateFrom', params.get('dateFrom') ?? '');
    token = { k: 'sync', c: now - 1, u: session.extensionIndex, f: dateFrom ?? 0, e: owner?.index ?? null, m: onlyMissed(groups) };
    serials = [];
    const [first, last] = ctx.dataset.positionRange(token.f ?? 0, now + 1);
    for (let position = first; position < last && serials.length < count; position++) {
      const serial = ctx.dataset.serialAt(position);
      if (inFrame(ctx, token, serial) && ctx.calls.listed(serial, now, false)) serials.push(serial);
    }
  } else {
    const previous = decodeToken(query.one('syncToken'), 'sync', session.extensionIndex);
    query.integer('recordCount', 0, 1);
    const changed = ctx.calls
      .changesFrom(previous.c + 1, now)
      .filter((change) => inFrame(ctx, previous, change.serial) && (showDeleted || !change.version.deleted));
    if (changed.length > SYNC_ISYNC_MAX) {
      throw apiError(400, 'CMN-101', 'Parameter [syncToken] is invalid [max sync record number limit is exceeded]', {
        parameterName: 'syncToken',
      });
    }
    serials = changed.map((change) => change.serial).sort((a, b) => ctx.dataset.timeOf(b) - ctx.dataset.timeOf(a) || b - a);
    token = { ...previous, c: now - 1 };
  }
  return {
    uri: recordUri(ctx, origin, path, params),
    records: serials.map((serial) => ctx.calls.render(serial, view, origin, scope, now)),
    syncInfo: { syncType: type, syncToken: encodeToken(token), syncTime: new Date(now).toISOString() },
  };
}

function onlyMissed(groups: string[]): boolean {
  return groups.length > 0 && !groups.includes('All');
}

/** Whether a call belongs to a call-log-sync frame: its start, its owner, Missed if asked. */
function inFrame(ctx: Context, token: SyncToken, serial: number): boolean {
  if (ctx.dataset.timeOf(serial) < (token.f ?? 0)) return false;
  if (token.e === null && !token.m) return true;
  const call = ctx.dataset.attributes(serial);
  return (token.e === null || token.e === undefined || call.extension.index === token.e) && (!token.m || call.result === 'Missed');
}
