import type { Styles } from './colors.js';
import { cell, valueAt } from './fields.js';
import { printable } from './printable.js';

/**
 * Tables for people at a terminal, written row by row as pages arrive (constant memory, Ctrl-C at
 * once): the widths come from the terminal and each column's kind, never from the data, so the
 * first rows can be printed before the last page is read. When the terminal is too narrow, the
 * least important columns are left out rather than every column cut; headers are never cut.
 */

export type ColumnKind = 'time' | 'duration' | 'text';

export interface TableColumn {
  header: string;
  /** The value: a dot path into the record, or a function of it. */
  value: string | ((record: unknown) => unknown);
  kind: ColumnKind;
  /** Narrowest useful width (a header is never cut: never below its length). */
  min: number;
  /** Widest it grows to when there is room. */
  max: number;
  /** Lower numbers stay longest when the terminal is narrow. */
  priority: number;
}

export interface TableOptions {
  styles: Styles;
  width: number;
  /** Times in UTC rather than local time (--utc). */
  utc: boolean;
}

const GAP = 2;
const TIME_WIDTH = 19;

/** Columns for --fields: each path its own header, sized by kind. */
export function columnsForFields(fields: readonly string[]): TableColumn[] {
  return fields.map((field, index) => {
    const kind: ColumnKind = /time$/i.test(field) ? 'time' : field === 'duration' ? 'duration' : 'text';
    const base = kind === 'time' ? TIME_WIDTH : kind === 'duration' ? 8 : 12;
    return { header: field, value: field, kind, min: Math.max(field.length, base), max: kind === 'text' ? 40 : base, priority: index };
  });
}

/** Which columns fit in `width`, and how wide each is. */
export function layout(columns: readonly TableColumn[], width: number): { column: TableColumn; width: number }[] {
  const byPriority = [...columns].sort((a, b) => a.priority - b.priority);
  const minOf = (column: TableColumn) => Math.max(column.min, column.header.length);
  const kept: TableColumn[] = [];
  let used = 0;
  for (const column of byPriority) {
    const need = minOf(column) + (kept.length > 0 ? GAP : 0);
    if (kept.length > 0 && used + need > width) continue;
    kept.push(column);
    used += need;
  }
  const shown = columns.filter((column) => kept.includes(column));
  const widths = new Map(shown.map((column) => [column, minOf(column)]));
  // Room left goes to the columns that can grow, a character at a time, most important first.
  let spare = width - used;
  while (spare > 0) {
    const growing = kept.filter((column) => (widths.get(column) ?? 0) < column.max);
    if (growing.length === 0) break;
    for (const column of growing) {
      if (spare === 0) break;
      widths.set(column, (widths.get(column) ?? 0) + 1);
      spare -= 1;
    }
  }
  return shown.map((column) => ({ column, width: widths.get(column) ?? minOf(column) }));
}

/** `2026-11-29 19:41:36`, local time unless `utc`. */
export function formatTime(value: unknown, utc: boolean): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) return cell(value);
  const date = new Date(time);
  const part = (local: number, universal: number) => String(utc ? universal : local).padStart(2, '0');
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  return `${year}-${part(date.getMonth() + 1, date.getUTCMonth() + 1)}-${part(date.getDate(), date.getUTCDate())} ${part(
    date.getHours(),
    date.getUTCHours(),
  )}:${part(date.getMinutes(), date.getUTCMinutes())}:${part(date.getSeconds(), date.getUTCSeconds())}`;
}

/** `m:ss` under an hour, `h:mm:ss` from there. */
export function formatDuration(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return cell(value);
  const total = Math.round(value);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

function fitCell(text: string, width: number, right: boolean): string {
  const clean = printable(text);
  const chars = [...clean];
  const pad = ' '.repeat(Math.max(0, width - chars.length));
  if (chars.length <= width) return right ? pad + clean : clean + pad;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export class StreamTable {
  private readonly plan: { column: TableColumn; width: number }[];
  private headerDone = false;

  constructor(
    columns: readonly TableColumn[],
    private readonly options: TableOptions,
  ) {
    this.plan = layout(columns, Math.max(options.width, 20));
  }

  /** The header (before the first rows) and one line per record. */
  rows(records: readonly unknown[]): string {
    let out = '';
    if (!this.headerDone && records.length > 0) {
      out += this.line(
        this.plan.map(({ column }) => column.header),
        true,
      );
      this.headerDone = true;
    }
    for (const record of records)
      out += this.line(
        this.plan.map(({ column }) => this.text(column, record)),
        false,
      );
    return out;
  }

  /** What ends the table: nothing after rows, a note when there were none. */
  end(): string {
    return this.headerDone ? '' : '(no records)\n';
  }

  private text(column: TableColumn, record: unknown): string {
    const value = typeof column.value === 'function' ? column.value(record) : valueAt(record, column.value);
    if (column.kind === 'time') return formatTime(value, this.options.utc);
    if (column.kind === 'duration') return formatDuration(value);
    return cell(value);
  }

  private line(cells: string[], header: boolean): string {
    const text = cells
      .map((value, i) => fitCell(value, this.plan[i]?.width ?? value.length, !header && this.plan[i]?.column.kind === 'duration'))
      .join(' '.repeat(GAP))
      .trimEnd();
    return `${header ? this.options.styles.bold(text) : text}\n`;
  }
}
