import { printable } from './printable.js';

/** cli-table3, loaded by the first table (no other command pays for it). */
async function tableClass(): Promise<typeof import('cli-table3')> {
  return (await import('cli-table3')).default;
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
