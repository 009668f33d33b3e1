import type { Styles } from './colors.js';
import { cell, type FieldCatalog, pick, spreadsheetSafe, valueAt } from './fields.js';
import type { Format } from './formats.js';
import { columnsForFields, StreamTable } from './stream-table.js';

/**
 * Record formatters, one per --format: page by page, records to text, never holding the whole
 * result (a table's widths come from the terminal, so it streams too). The CSV library is loaded
 * only for its formats.
 */

export interface RecordFormatter {
  /**
   * The text for one page of records, in pieces of at most about CHUNK_CHARS (sync: the page can
   * be dropped before the text is written). Pieces stay below V8's large-object size, so they die
   * young; one 1 MB string a page would survive into the old generation and grow the peak RSS
   * with the length of the export.
   */
  page(records: readonly unknown[]): string[];
  /** What completes the output (the closing `]` of json, the table, a lone CSV header). Not used after a failure. */
  end(): Promise<string>;
}

export interface FormatterOptions {
  format: Format;
  /** Chosen with --fields; undefined means whole records (json, ndjson) or the default columns. */
  fields: readonly string[] | undefined;
  catalog: FieldCatalog;
  /** Styles for the table header (output/colors.ts). */
  styles: Styles;
  width: number;
  /** --raw-csv: cells exactly as they came, without the spreadsheet-formula guard. */
  rawCsv?: boolean;
  /** --utc: table times in UTC, not local time. */
  utc?: boolean;
}

/** A piece of output text: well under V8's large-object threshold (128 KiB, measured in bytes). */
export const CHUNK_CHARS = 32_768;

/** Renders items into pieces of about CHUNK_CHARS, without an array of every item's text first. */
function pieces<T>(items: readonly T[], render: (item: T, index: number) => string): string[] {
  const out: string[] = [];
  let current = '';
  items.forEach((item, index) => {
    current += render(item, index);
    if (current.length >= CHUNK_CHARS) {
      out.push(current);
      current = '';
    }
  });
  if (current !== '') out.push(current);
  return out;
}

export async function createFormatter(options: FormatterOptions): Promise<RecordFormatter> {
  const { fields } = options;
  const shape = (record: unknown) => (fields ? pick(record, fields) : record);
  switch (options.format) {
    case 'ndjson':
      return {
        page: (records) => pieces(records, (r) => `${JSON.stringify(shape(r))}\n`),
        end: async () => '',
      };
    case 'json': {
      let first = true;
      return {
        page(records) {
          if (records.length === 0) return [];
          const opening = first ? '[\n' : ',\n';
          first = false;
          return pieces(records, (r, i) => `${i === 0 ? opening : ',\n'}${JSON.stringify(shape(r))}`);
        },
        end: async () => (first ? '[]\n' : '\n]\n'),
      };
    }
    case 'csv':
    case 'tsv': {
      const columns = fields ?? options.catalog.defaults;
      const delimiter = options.format === 'csv' ? ',' : '\t';
      const { stringify } = await import('csv-stringify/sync');
      let header = stringify([columns], { delimiter, record_delimiter: 'unix' });
      const takeHeader = () => {
        const text = header;
        header = '';
        return text;
      };
      return {
        page(records) {
          const header = takeHeader();
          const safe = options.rawCsv ? (text: string) => text : spreadsheetSafe;
          const row = (record: unknown) =>
            stringify([columns.map((column) => safe(cell(valueAt(record, column))))], { delimiter, record_delimiter: 'unix' });
          const rows = pieces(records, row);
          return header === '' ? rows : [header, ...rows];
        },
        end: async () => takeHeader(),
      };
    }
    case 'table': {
      const table = new StreamTable(fields ? columnsForFields(fields) : options.catalog.table, {
        styles: options.styles,
        width: options.width,
        utc: options.utc ?? false,
      });
      return {
        page: (records) => pieces(records, (record) => table.rows([record])),
        end: async () => table.end(),
      };
    }
  }
}
