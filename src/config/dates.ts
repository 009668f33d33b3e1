import { isValid, parse, parseISO, startOfDay, subDays } from 'date-fns';
import { UsageError } from '../errors.js';

/**
 * --from / --to values: ISO 8601 (a zone-less time is local), a bare date (local midnight),
 * `now`, `today`, `yesterday`, or relative to now: 30m, 24h, 7d, 2w.
 */

const DAY_MS = 86_400_000;
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

export function parseWhen(text: string, flag: string, now: Date): Date {
  const value = text.trim();
  if (value === 'now') return now;
  if (value === 'today') return startOfDay(now);
  if (value === 'yesterday') return startOfDay(subDays(now, 1));
  const relative = /^(\d{1,6})([mhdw])$/.exec(value);
  if (relative?.[1] && relative[2]) return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2]] ?? 0));
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? parse(value, 'yyyy-MM-dd', now)
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? parseISO(value)
      : undefined;
  if (!date || !isValid(date)) {
    throw new UsageError(
      `${flag}: "${text}" is not a date`,
      'use ISO 8601 (2026-11-01 or 2026-11-01T09:30:00Z), now, today, yesterday, or a span like 30m, 24h, 7d, 2w',
    );
  }
  return date;
}

export interface DateRange {
  from: Date;
  to: Date;
}

/** Both ends are always sent; the default is the last 24 hours (the API's own default, made explicit). */
export function parseRange(from: string | undefined, to: string | undefined, now: Date): DateRange {
  const end = to === undefined ? now : parseWhen(to, '--to', now);
  const start = from === undefined ? new Date(end.getTime() - DAY_MS) : parseWhen(from, '--from', now);
  if (start.getTime() >= end.getTime()) {
    throw new UsageError(`--from (${start.toISOString()}) must be before --to (${end.toISOString()})`);
  }
  return { from: start, to: end };
}

/** A span such as 5m, 24h, 1d, 2w (for --overlap and --window). */
export function parseSpan(text: string, flag: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  const ms = match?.[1] && match[2] ? Number(match[1]) * (UNITS[match[2]] ?? 0) : 0;
  if (ms <= 0) throw new UsageError(`${flag}: "${text}" is not a span`, 'use a number and a unit: 30m, 24h, 1d, 2w');
  return ms;
}

/** Consecutive windows of `size` covering [from, to), oldest first. */
export function splitRange(range: DateRange, size: number | undefined): DateRange[] {
  if (size === undefined) return [range];
  const windows: DateRange[] = [];
  for (let start = range.from.getTime(); start < range.to.getTime(); start += size) {
    windows.push({ from: new Date(start), to: new Date(Math.min(start + size, range.to.getTime())) });
  }
  return windows;
}
