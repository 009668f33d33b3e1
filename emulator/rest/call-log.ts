import type { Context } from '../context.js';
import type { CallAttributes, CallView } from '../data/dataset.js';
import { apiError, invalidParameter } from '../http.js';
import { canonicalAccountPath, checkAccount, listPage, Query, resolveExtension } from './query.js';
import type { RestRequest } from './routes.js';

/** Each endpoint takes only its own parameters (readCompanyCallLog, readUserCallLog in the spec). */
const COMPANY_PARAMS = [
  'extensionNumber',
  'phoneNumber',
  'direction',
  'type',
  'view',
  'withRecording',
  'recordingType',
  'dateFrom',
  'dateTo',
  'sessionId',
  'telephonySessionId',
  'metadataCategory',
  'perPage',
  'page',
  'showDeleted',
] as const;
const USER_PARAMS = [...COMPANY_PARAMS, 'showBlocked', 'transport'] as const;
/** Filters `sessionId` cannot be combined with (CLG-110). */
const NOT_WITH_SESSION_ID = [
  'extensionNumber',
  'phoneNumber',
  'direction',
  'type',
  'transport',
  'withRecording',
  'recordingType',
  'telephonySessionId',
];
const DAY_MS = 86_400_000;

interface CallFilter {
  extensionIndex: number | undefined;
  extensionNumber: string | undefined;
  phoneNumber: string | undefined;
  directions: string[];
  types: string[];
  transports: string[];
  recording: 'Automatic' | 'OnDemand' | 'All' | undefined;
  showBlocked: boolean;
  showDeleted: boolean;
  sessionId: string | undefined;
  telephonySessionId: string | undefined;
}

/** GET .../account/{accountId}/call-log (company) and .../extension/{extensionId}/call-log (Heavy): no totals, nextPage only. */
export function readCallLog({ ctx, session, params, origin, accountId, extensionId }: RestRequest): unknown {
  const query = new Query(params, extensionId === undefined ? COMPANY_PARAMS : USER_PARAMS);
  if (params.has('sessionId') && NOT_WITH_SESSION_ID.some((name) => params.has(name))) {
    throw apiError(400, 'CLG-110', 'Parameter [sessionId] cannot be combined with other filters', { parameterName: 'sessionId' });
  }
  const owner = callLogOwner({ ctx, session, accountId, extensionId });
  const view: CallView = query.oneOf('view', ['Simple', 'Detailed'] as const) ?? 'Simple';
  const filter = readCallFilter(query, owner?.index);
  const dateTo = query.date('dateTo') ?? ctx.now();
  const dateFrom = query.date('dateFrom') ?? dateTo - DAY_MS;
  if (dateFrom > dateTo) throw invalidParameter('dateFrom', params.get('dateFrom') ?? '');
  const page = query.integer('page', 1, 1);
  const perPage = query.perPage(100);
  query.many('metadataCategory');
  const now = ctx.now();
  const positions = matchingPositions(ctx, filter, dateFrom, dateTo, now);
  const start = (page - 1) * perPage;
  const pagePositions = positions.slice(start, start + perPage);
  const scope = owner === undefined ? 'account' : 'extension';
  const records = pagePositions.map((position) => ctx.calls.render(ctx.dataset.serialAt(position), view, origin, scope, now));
  const canonicalPath = `${canonicalAccountPath(ctx)}${owner ? `/extension/${owner.id}` : ''}/call-log`;
  const canonical = new URLSearchParams(params);
  canonical.set('view', view);
  canonical.set('dateFrom', new Date(dateFrom).toISOString());
  if (params.has('dateTo')) canonical.set('dateTo', new Date(dateTo).toISOString());
  return listPage(origin, canonicalPath, canonical, page, perPage, records, start + perPage < positions.length);
}

/**
 * Whose call log a request reads: undefined for the company's, which needs the user permission
 * FullCompanyCallLog (being an admin is not enough), as does another user's.
 */
export function callLogOwner({ ctx, session, accountId, extensionId }: Pick<RestRequest, 'ctx' | 'session' | 'accountId' | 'extensionId'>) {
  checkAccount(ctx, accountId);
  const me = ctx.dataset.extensions[session.extensionIndex];
  const owner = extensionId === undefined ? undefined : resolveExtension(ctx, session, extensionId);
  if (owner === undefined && !me?.fullCompanyCallLog) {
    throw apiError(
      403,
      'CMN-408',
      'In order to call this API endpoint, user needs to have [FullCompanyCallLog] permission for requested resource.',
      { permissionName: 'FullCompanyCallLog' },
      'InsufficientPermissions',
    );
  }
  if (owner !== undefined && owner.index !== session.extensionIndex && !me?.fullCompanyCallLog) {
    throw apiError(403, 'CMN-404', 'Attempt to access another extension', {}, 'InsufficientPermissions');
  }
  return owner;
}

function readCallFilter(query: Query, extensionIndex: number | undefined): CallFilter {
  const extensionNumber = query.one('extensionNumber');
  const phoneNumber = query.one('phoneNumber');
  if (extensionNumber !== undefined && phoneNumber !== undefined) throw invalidParameter('phoneNumber', phoneNumber);
  if (phoneNumber !== undefined && !/^\+?\d{3,15}$/.test(phoneNumber)) throw invalidParameter('phoneNumber', phoneNumber);
  const withRecording = query.boolean('withRecording');
  const recordingType = query.oneOf('recordingType', ['Automatic', 'OnDemand', 'All'] as const);
  return {
    extensionIndex,
    extensionNumber,
    phoneNumber: phoneNumber?.replace(/^\+/, ''),
    directions: query.manyOf('direction', ['Inbound', 'Outbound'] as const),
    types: query.manyOf('type', ['Voice', 'Fax'] as const),
    transports: query.manyOf('transport', ['PSTN', 'VoIP'] as const),
    recording: recordingType ?? (withRecording ? 'All' : undefined),
    showBlocked: query.boolean('showBlocked') ?? true,
    showDeleted: query.boolean('showDeleted') ?? false,
    sessionId: query.one('sessionId'),
    telephonySessionId: query.one('telephonySessionId'),
  };
}

function isFiltered(filter: CallFilter): boolean {
  return (
    filter.extensionIndex !== undefined ||
    filter.extensionNumber !== undefined ||
    filter.phoneNumber !== undefined ||
    filter.directions.length > 0 ||
    filter.types.length > 0 ||
    filter.transports.length > 0 ||
    filter.recording !== undefined ||
    !filter.showBlocked ||
    filter.sessionId !== undefined ||
    filter.telephonySessionId !== undefined
  );
}

function matches(filter: CallFilter, call: CallAttributes, sessionId: string, telephonySessionId: () => string): boolean {
  return (
    (filter.extensionIndex === undefined || call.extension.index === filter.extensionIndex) &&
    (filter.extensionNumber === undefined || call.extension.extensionNumber === filter.extensionNumber) &&
    (filter.phoneNumber === undefined || call.external.phoneNumber.replace(/^\+/, '') === filter.phoneNumber) &&
    (filter.directions.length === 0 || filter.directions.includes(call.direction)) &&
    (filter.types.length === 0 || filter.types.includes(call.type)) &&
    (filter.transports.length === 0 || filter.transports.includes(call.transport)) &&
    (filter.recording === undefined ||
      (call.recording !== undefined && (filter.recording === 'All' || filter.recording === call.recording))) &&
    (filter.showBlocked || call.result !== 'Blocked') &&
    (filter.sessionId === undefined || filter.sessionId === sessionId) &&
    (filter.telephonySessionId === undefined || filter.telephonySessionId === telephonySessionId())
  );
}

/** A lazily sliced view of newest-first positions, so an unfiltered 200,000-record range costs nothing. */
interface Positions {
  length: number;
  slice(start: number, end: number): number[];
}

function matchingPositions(ctx: Context, filter: CallFilter, from: number, to: number, now: number): Positions {
  const [first, last] = ctx.dataset.positionRange(from, to);
  // Calls with a lifecycle change with the clock: looked at one by one, never cached.
  if (ctx.calls.active) return livePositions(ctx, filter, first, last, now);
  if (!isFiltered(filter)) {
    return { length: last - first, slice: (start, end) => range(first + start, Math.min(first + end, last)) };
  }
  const key = JSON.stringify([filter, first, last, ctx.dataset.callCount]);
  const cache = filterCacheOf(ctx);
  let list = cache.get(key);
  if (!list) {
    list = [];
    for (let position = first; position < last; position++) {
      const serial = ctx.dataset.serialAt(position);
      if (
        matches(filter, ctx.dataset.attributes(serial), ctx.dataset.sessionIdOf(serial), () => ctx.dataset.telephonySessionIdOf(serial))
      ) {
        list.push(position);
      }
    }
    if (cache.size >= 32) cache.delete(cache.keys().next().value ?? '');
    cache.set(key, list);
  }
  return list;
}

function livePositions(ctx: Context, filter: CallFilter, first: number, last: number, now: number): number[] {
  const list: number[] = [];
  for (let position = first; position < last; position++) {
    const serial = ctx.dataset.serialAt(position);
    if (!ctx.calls.listed(serial, now, filter.showDeleted)) continue;
    if (
      !isFiltered(filter) ||
      matches(filter, ctx.dataset.attributes(serial), ctx.dataset.sessionIdOf(serial), () => ctx.dataset.telephonySessionIdOf(serial))
    ) {
      list.push(position);
    }
  }
  return list;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/** Newest-first positions of calls matching a filtered query, by query (a 200k scan costs ~50 ms). */
const filterCaches = new WeakMap<Context, Map<string, number[]>>();

function filterCacheOf(ctx: Context): Map<string, number[]> {
  let cache = filterCaches.get(ctx);
  if (!cache) {
    cache = new Map();
    filterCaches.set(ctx, cache);
  }
  return cache;
}
