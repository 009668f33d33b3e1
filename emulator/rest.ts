import type { Context } from './context.js';
import type { CallAttributes, CallView, Extension } from './dataset.js';
import { apiError, invalidParameter } from './http.js';
import type { RateGroup } from './options.js';
import type { Session } from './sessions.js';

/** The REST endpoints the CLI uses, with the spec's parameters, groups and shapes. */

export interface RestRoute {
  group: RateGroup;
  run(ctx: Context, session: Session, query: URLSearchParams, origin: string): unknown;
}

const ACCOUNT = /^\/restapi\/v1\.0\/account\/([^/]+)(?:\/extension(?:\/([^/]+))?)?(\/call-log)?$/;

export function matchRestRoute(pathname: string): RestRoute | undefined {
  const match = ACCOUNT.exec(pathname);
  if (!match) return undefined;
  const [, accountId = '', extensionId, callLog] = match;
  const hasExtensionSegment = pathname.includes('/extension');
  if (callLog) {
    if (hasExtensionSegment && !extensionId) return undefined;
    return {
      group: 'heavy',
      run: (ctx, session, query, origin) => readCallLog(ctx, session, query, origin, accountId, extensionId, pathname),
    };
  }
  if (!hasExtensionSegment) {
    return { group: 'light', run: (ctx, _session, query, origin) => readAccount(ctx, query, origin, accountId) };
  }
  if (!extensionId) {
    return { group: 'medium', run: (ctx, _session, query, origin) => listExtensions(ctx, query, origin, accountId, pathname) };
  }
  return { group: 'light', run: (ctx, session, query, origin) => readExtension(ctx, session, query, origin, accountId, extensionId) };
}

// ---- parameters -----------------------------------------------------------------------------

/** Reads query parameters strictly: unknown names and bad values are 400 CMN-101. */
class Query {
  constructor(
    private readonly params: URLSearchParams,
    allowed: readonly string[],
  ) {
    for (const name of params.keys()) if (!allowed.includes(name)) throw invalidParameter(name, params.get(name) ?? '');
  }

  one(name: string): string | undefined {
    const values = this.many(name);
    if (values.length > 1) throw invalidParameter(name, values.join(','));
    return values[0];
  }

  many(name: string): string[] {
    return this.params.getAll(name).filter((value) => value !== '');
  }

  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const value = this.one(name);
    if (value !== undefined && !choices.includes(value as T)) throw invalidParameter(name, value);
    return value as T | undefined;
  }

  manyOf<T extends string>(name: string, choices: readonly T[]): T[] {
    const values = this.many(name);
    for (const value of values) if (!choices.includes(value as T)) throw invalidParameter(name, value);
    return values as T[];
  }

  integer(name: string, fallback: number, min: number): number {
    const value = this.one(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) throw invalidParameter(name, value);
    return Number(value);
  }

  /** perPage: 1..1000 or "max"; larger values are capped to 1000 (spec, call-log list). */
  perPage(fallback: number): number {
    if (this.one('perPage') === 'max') return 1000;
    return Math.min(this.integer('perPage', fallback, 1), 1000);
  }

  boolean(name: string): boolean | undefined {
    const value = this.oneOf(name, ['true', 'false'] as const);
    return value === undefined ? undefined : value === 'true';
  }

  date(name: string): number | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw invalidParameter(name, value);
    return time;
  }
}

function checkAccount(ctx: Context, accountId: string): void {
  if (accountId !== '~' && accountId !== String(ctx.dataset.accountId)) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [accountId] is not found', { parameterName: 'accountId' });
  }
}

function resolveExtension(ctx: Context, session: Session, extensionId: string): Extension {
  const extension = extensionId === '~' ? ctx.dataset.extensions[session.extensionIndex] : ctx.dataset.extensionById(extensionId);
  if (!extension) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [extensionId] is not found', { parameterName: 'extensionId' });
  }
  return extension;
}

function pageUri(origin: string, pathname: string, query: URLSearchParams, page: number, perPage: number): { uri: string } {
  const params = new URLSearchParams(query);
  params.set('page', String(page));
  params.set('perPage', String(perPage));
  return { uri: `${origin}${pathname}?${params}` };
}

// ---- account and extensions -------------------------------------------------------------------

function readAccount(ctx: Context, query: URLSearchParams, origin: string, accountId: string): unknown {
  new Query(query, []);
  checkAccount(ctx, accountId);
  const { dataset } = ctx;
  const operator = dataset.extensions[0];
  const account = `${origin}/restapi/v1.0/account/${dataset.accountId}`;
  const us = { id: '1', uri: `${origin}/restapi/v1.0/dictionary/country/1`, name: 'United States', isoCode: 'US', callingCode: '1' };
  return {
    uri: account,
    id: dataset.accountId,
    bsid: String(dataset.accountId).slice(-8),
    mainNumber: dataset.mainNumber,
    operator: operator
      ? { uri: `${account}/extension/${operator.id}`, id: operator.id, extensionNumber: operator.extensionNumber }
      : undefined,
    serviceInfo: {
      uri: `${account}/service-info`,
      brand: { id: '1210', name: 'RingCentral', homeCountry: us },
      servicePlan: { id: '18497', name: 'RingEX Advanced', edition: 'Standard' },
      billingPlan: {
        id: '43614',
        name: 'Monthly-109.98-Standard 4 Lines',
        durationUnit: 'Month',
        duration: 1,
        type: 'Regular',
        includedPhoneLines: 4,
      },
      contractedCountry: us,
    },
    status: 'Confirmed',
    setupWizardState: 'Completed',
    regionalSettings: { ...regionalSettings(origin), currency: { id: 1, code: 'USD', name: 'Dollar', symbol: '$', minorSymbol: 'c' } },
    federated: false,
  };
}

function regionalSettings(origin: string): Record<string, unknown> {
  return {
    homeCountry: { id: '1', uri: `${origin}/restapi/v1.0/dictionary/country/1`, name: 'United States', isoCode: 'US', callingCode: '1' },
    timezone: {
      id: '58',
      uri: `${origin}/restapi/v1.0/dictionary/timezone/58`,
      name: 'US/Pacific',
      description: 'Pacific Time (US & Canada)',
      bias: '-480',
    },
    language: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    timeFormat: '12h',
  };
}

function extensionSummary(ctx: Context, ext: Extension, origin: string): Record<string, unknown> {
  const uri = `${origin}/restapi/v1.0/account/${ctx.dataset.accountId}/extension/${ext.id}`;
  const contact =
    ext.type === 'User'
      ? {
          firstName: ext.firstName,
          lastName: ext.lastName,
          name: ext.name,
          company: ctx.dataset.companyName,
          email: ext.email,
          businessPhone: ext.directNumber,
          emailAsLoginName: true,
        }
      : { firstName: ext.name, name: ext.name, company: ctx.dataset.companyName };
  return {
    uri,
    id: ext.id,
    extensionNumber: ext.extensionNumber,
    contact,
    name: ext.name,
    type: ext.type,
    status: ext.status,
    permissions: { admin: { enabled: ext.admin }, internationalCalling: { enabled: ext.type === 'User' } },
    profileImage: { uri: `${uri}/profile-image` },
    hidden: false,
    creationTime: ext.creationTime,
  };
}

const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'] as const;
const EXTENSION_TYPES = [
  'User',
  'Department',
  'Announcement',
  'Voicemail',
  'DigitalUser',
  'VirtualUser',
  'FaxUser',
  'PagingOnly',
  'SharedLinesGroup',
  'DelegatedLinesGroup',
  'GroupCallPickup',
  'IvrMenu',
  'ApplicationExtension',
  'ProxyAdmin',
  'RoomConnector',
  'ParkLocation',
  'Limited',
  'Bot',
  'Site',
  'Room',
  'FlexibleUser',
  'TieLine',
  'Unknown',
] as const;

function listExtensions(ctx: Context, params: URLSearchParams, origin: string, accountId: string, pathname: string): unknown {
  const query = new Query(params, ['extensionNumber', 'email', 'page', 'perPage', 'status', 'type']);
  checkAccount(ctx, accountId);
  const statuses: string[] = query.manyOf('status', EXTENSION_STATUSES);
  const types: string[] = query.manyOf('type', EXTENSION_TYPES);
  const emails = query.many('email').map((email) => email.toLowerCase());
  const number = query.one('extensionNumber');
  if (number !== undefined && !/^\d{1,8}$/.test(number)) throw invalidParameter('extensionNumber', number);
  const page = query.integer('page', 1, 1);
  const perPage = query.perPage(100);
  const matching = ctx.dataset.extensions.filter(
    (ext) =>
      (statuses.length === 0 || statuses.includes(ext.status)) &&
      (types.length === 0 || types.includes(ext.type)) &&
      (number === undefined || ext.extensionNumber === number) &&
      (emails.length === 0 || emails.includes(ext.email ?? '')),
  );
  const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
  const start = (page - 1) * perPage;
  const records = matching.slice(start, start + perPage).map((ext) => extensionSummary(ctx, ext, origin));
  const link = (n: number) => pageUri(origin, pathname, params, n, perPage);
  return {
    uri: link(page).uri,
    records,
    paging: {
      page,
      totalPages,
      perPage,
      totalElements: matching.length,
      ...(records.length > 0 ? { pageStart: start, pageEnd: start + records.length - 1 } : {}),
    },
    navigation: {
      firstPage: link(1),
      ...(page < totalPages ? { nextPage: link(page + 1) } : {}),
      ...(page > 1 ? { previousPage: link(Math.min(page - 1, totalPages)) } : {}),
      lastPage: link(totalPages),
    },
  };
}

function readExtension(
  ctx: Context,
  session: Session,
  params: URLSearchParams,
  origin: string,
  accountId: string,
  extensionId: string,
): unknown {
  new Query(params, []);
  checkAccount(ctx, accountId);
  const ext = resolveExtension(ctx, session, extensionId);
  const own = ext.index === session.extensionIndex;
  return {
    ...extensionSummary(ctx, ext, origin),
    account: { id: String(ctx.dataset.accountId), uri: `${origin}/restapi/v1.0/account/${ctx.dataset.accountId}` },
    regionalSettings: regionalSettings(origin),
    setupWizardState: 'Completed',
    ...(own
      ? {
          serviceFeatures: [
            { featureName: 'VoipCalling', enabled: true },
            { featureName: 'Voicemail', enabled: true },
            { featureName: 'Fax', enabled: true },
            { featureName: 'InternationalCalling', enabled: true },
          ],
        }
      : {}),
  };
}

// ---- call log -----------------------------------------------------------------------------------

const CALL_LOG_PARAMS = [
  'extensionNumber',
  'phoneNumber',
  'showBlocked',
  'direction',
  'sessionId',
  'type',
  'transport',
  'view',
  'withRecording',
  'recordingType',
  'dateFrom',
  'dateTo',
  'perPage',
  'page',
  'showDeleted',
  'telephonySessionId',
  'metadataCategory',
  'conferenceType',
] as const;
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
  sessionId: string | undefined;
}

function readCallLog(
  ctx: Context,
  session: Session,
  params: URLSearchParams,
  origin: string,
  accountId: string,
  extensionId: string | undefined,
  pathname: string,
): unknown {
  const query = new Query(params, CALL_LOG_PARAMS);
  checkAccount(ctx, accountId);
  const me = ctx.dataset.extensions[session.extensionIndex];
  const owner = extensionId === undefined ? undefined : resolveExtension(ctx, session, extensionId);
  if (owner === undefined && !me?.admin) {
    throw apiError(
      403,
      'CMN-408',
      'In order to call this API endpoint, user needs to have [FullCompanyCallLog] permission for requested resource.',
      { permissionName: 'FullCompanyCallLog' },
      'InsufficientPermissions',
    );
  }
  if (owner !== undefined && owner.index !== session.extensionIndex && !me?.admin) {
    throw apiError(403, 'CMN-404', 'Attempt to access another extension', {}, 'InsufficientPermissions');
  }
  const view: CallView = query.oneOf('view', ['Simple', 'Detailed'] as const) ?? 'Simple';
  const filter = readCallFilter(query, owner?.index);
  const dateTo = query.date('dateTo') ?? ctx.now();
  const dateFrom = query.date('dateFrom') ?? dateTo - DAY_MS;
  if (dateFrom > dateTo) throw invalidParameter('dateFrom', params.get('dateFrom') ?? '');
  const page = query.integer('page', 1, 1);
  const perPage = query.perPage(100);
  query.many('metadataCategory');
  const positions = matchingPositions(ctx, filter, dateFrom, dateTo);
  const start = (page - 1) * perPage;
  const pagePositions = positions.slice(start, start + perPage);
  const scope = owner === undefined ? 'account' : 'extension';
  const records = pagePositions.map((position) => ctx.dataset.renderCall(ctx.dataset.serialAt(position), view, origin, scope));
  const link = (n: number) => pageUri(origin, pathname, params, n, perPage);
  return {
    uri: link(page).uri,
    records,
    paging: { page, perPage, ...(records.length > 0 ? { pageStart: start, pageEnd: start + records.length - 1 } : {}) },
    navigation: {
      firstPage: link(1),
      ...(start + perPage < positions.length ? { nextPage: link(page + 1) } : {}),
      ...(page > 1 ? { previousPage: link(page - 1) } : {}),
    },
  };
}

function readCallFilter(query: Query, extensionIndex: number | undefined): CallFilter {
  const extensionNumber = query.one('extensionNumber');
  const phoneNumber = query.one('phoneNumber');
  if (extensionNumber !== undefined && phoneNumber !== undefined) throw invalidParameter('phoneNumber', phoneNumber);
  if (phoneNumber !== undefined && !/^\+?\d{3,15}$/.test(phoneNumber)) throw invalidParameter('phoneNumber', phoneNumber);
  const withRecording = query.boolean('withRecording');
  const recordingType = query.oneOf('recordingType', ['Automatic', 'OnDemand', 'All'] as const);
  query.boolean('showDeleted');
  query.one('telephonySessionId');
  query.one('conferenceType');
  return {
    extensionIndex,
    extensionNumber,
    phoneNumber: phoneNumber?.replace(/^\+/, ''),
    directions: query.manyOf('direction', ['Inbound', 'Outbound'] as const),
    types: query.manyOf('type', ['Voice', 'Fax'] as const),
    transports: query.manyOf('transport', ['PSTN', 'VoIP'] as const),
    recording: recordingType ?? (withRecording ? 'All' : undefined),
    showBlocked: query.boolean('showBlocked') ?? true,
    sessionId: query.one('sessionId'),
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
    filter.sessionId !== undefined
  );
}

function matches(filter: CallFilter, call: CallAttributes, sessionId: string): boolean {
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
    (filter.sessionId === undefined || filter.sessionId === sessionId)
  );
}

/** A lazily sliced view of newest-first positions, so an unfiltered 200,000-record range costs nothing. */
interface Positions {
  length: number;
  slice(start: number, end: number): number[];
}

function matchingPositions(ctx: Context, filter: CallFilter, from: number, to: number): Positions {
  const [first, last] = ctx.dataset.positionRange(from, to);
  if (!isFiltered(filter)) {
    return { length: last - first, slice: (start, end) => range(first + start, Math.min(first + end, last)) };
  }
  const key = JSON.stringify([filter, first, last, ctx.dataset.callCount]);
  let list = ctx.filterCache.get(key);
  if (!list) {
    list = [];
    for (let position = first; position < last; position++) {
      const serial = ctx.dataset.serialAt(position);
      if (matches(filter, ctx.dataset.attributes(serial), ctx.dataset.sessionIdOf(serial))) list.push(position);
    }
    if (ctx.filterCache.size >= 32) ctx.filterCache.delete(ctx.filterCache.keys().next().value ?? '');
    ctx.filterCache.set(key, list);
  }
  return list;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
