import type { Context } from '../context.js';
import type { Extension } from '../data/dataset.js';
import { apiError, invalidParameter } from '../http.js';
import type { Session } from '../oauth/sessions.js';

/** Reads query parameters strictly: unknown names and bad values are 400 CMN-101. */
export class Query {
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

export function checkAccount(ctx: Context, accountId: string): void {
  if (accountId !== '~' && accountId !== String(ctx.dataset.accountId)) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [accountId] is not found', { parameterName: 'accountId' });
  }
}

export function resolveExtension(ctx: Context, session: Session, extensionId: string): Extension {
  const extension = extensionId === '~' ? ctx.dataset.extensions[session.extensionIndex] : ctx.dataset.extensionById(extensionId);
  if (!extension) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [extensionId] is not found', { parameterName: 'extensionId' });
  }
  return extension;
}

/**
 * A navigation link as the platform writes it: the canonical path (numeric account and extension
 * ids, never `~`), the request's parameters with defaults made explicit and dates normalised, then
 * page and perPage.
 */
export function pageUri(origin: string, canonicalPath: string, params: URLSearchParams, page: number, perPage: number): { uri: string } {
  const out = new URLSearchParams(params);
  out.set('page', String(page));
  out.set('perPage', String(perPage));
  return { uri: `${origin}${canonicalPath}?${out}` };
}

/**
 * One page of a list without totals (call log, message store): `records` are the page's, `more`
 * says whether a next page exists; links are canonical (see pageUri).
 */
export function listPage(
  origin: string,
  canonicalPath: string,
  params: URLSearchParams,
  page: number,
  perPage: number,
  records: unknown[],
  more: boolean,
): Record<string, unknown> {
  const start = (page - 1) * perPage;
  const link = (n: number) => pageUri(origin, canonicalPath, params, n, perPage);
  return {
    uri: link(page).uri,
    records,
    paging: { page, perPage, ...(records.length > 0 ? { pageStart: start, pageEnd: start + records.length - 1 } : {}) },
    navigation: {
      firstPage: link(1),
      ...(more ? { nextPage: link(page + 1) } : {}),
      ...(page > 1 ? { previousPage: link(page - 1) } : {}),
    },
  };
}

/** `/restapi/v1.0/account/{numeric id}` for a request's account path. */
export function canonicalAccountPath(ctx: Context): string {
  return `/restapi/v1.0/account/${ctx.dataset.accountId}`;
}
