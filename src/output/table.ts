import type { Styles } from './colors.js';
import { printable } from './printable.js';

/** cli-table3, loaded by the first table (no other command pays for it). */
async function tableClass(): Promise<typeof import('cli-table3')> {
  return (await import('cli-table3')).default;
}

/** A table that fits the terminal: the widest columns give way first, cut cells end with "…". */
export async function renderTable(
  columns: readonly string[],
  rows: readonly string[][],
  options: { styles: Styles; width: number },
): Promise<string> {
  if (rows.length === 0) return '(no records)\n';
  // Sized by the data; a long header may be cut rather than widen its column.
  const natural = columns.map(
    (column, i) => Math.min(60, Math.max(Math.min(column.length, 10), ...rows.map((row) => (row[i] ?? '').length))) + 2,
  );
  const widths = fit(natural, Math.max(options.width, 40) - (columns.length + 1));
  const Table = await tableClass();
  const table = new Table({
    head: columns.map((column) => options.styles.bold(column)),
    colWidths: widths,
    truncate: '…',
    wordWrap: false,
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row.map((cell) => printable(cell)));
  return `${table.toString()}\n`;
}

/** Shrinks the widest columns until the sum fits (never below 5 characters). */
function fit(widths: number[], available: number): number[] {
  const out = [...widths];
  let total = out.reduce((sum, w) => sum + w, 0);
  while (total > available) {
    const widest = out.indexOf(Math.max(...out));
    if ((out[widest] ?? 0) <= 5) break;
    out[widest] = (out[widest] ?? 0) - 1;
    total -= 1;
  }
  return out;
}

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** Aligned columns without borders, like `gh`'s lists (for small listings such as `profiles`). */
export async function renderColumns(header: readonly string[], rows: readonly string[][]): Promise<string> {
  const Table = await tableClass();
  const table = new Table({ head: [...header], chars: NO_BORDERS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const row of rows) table.push(row.map((cell) => printable(cell)));
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
