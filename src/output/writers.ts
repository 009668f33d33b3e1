import type { Styles } from './colors.js';
import { cell, type FieldCatalog, pick, valueAt } from './fields.js';
import type { Format } from './formats.js';
import type { Sink } from './sinks.js';

/**
 * Record writers, one per --format. They write page by page and never hold the whole result,
 * except `table`, which needs every row to size its columns (it is for terminals, not exports).
 * The CSV and table libraries are loaded only for their formats.
 */

export interface RecordWriter {
  writePage(records: readonly unknown[]): Promise<void>;
  /** Completes the output (the closing `]` of json, the table). Not called after a failure. */
  finish(): Promise<void>;
}

export interface WriterOptions {
  format: Format;
  /** Chosen with --fields; undefined means whole records (json, ndjson) or the default columns. */
  fields: readonly string[] | undefined;
  catalog: FieldCatalog;
  sink: Sink;
  /** Styles for the table header (output/colors.ts). */
  styles: Styles;
  width: number;
}

export async function createWriter(options: WriterOptions): Promise<RecordWriter> {
  const { sink, fields } = options;
  const shape = (record: unknown) => (fields ? pick(record, fields) : record);
  switch (options.format) {
    case 'ndjson':
      return {
        writePage: (records) =>
          records.length ? sink.write(records.map((r) => `${JSON.stringify(shape(r))}\n`).join('')) : Promise.resolve(),
        finish: async () => undefined,
      };
    case 'json': {
      let first = true;
      return {
        async writePage(records) {
          if (records.length === 0) return;
          const body = records.map((r) => JSON.stringify(shape(r))).join(',\n');
          await sink.write(`${first ? '[\n' : ',\n'}${body}`);
          first = false;
        },
        finish: () => sink.write(first ? '[]\n' : '\n]\n'),
      };
    }
    case 'csv':
    case 'tsv': {
      const columns = fields ?? options.catalog.defaults;
      const delimiter = options.format === 'csv' ? ',' : '\t';
      const { stringify } = await import('csv-stringify/sync');
      let headerWritten = false;
      const header = async () => {
        if (headerWritten) return;
        headerWritten = true;
        await sink.write(stringify([columns], { delimiter, record_delimiter: 'unix' }));
      };
      return {
        async writePage(records) {
          await header();
          if (records.length === 0) return;
          const rows = records.map((record) => columns.map((column) => cell(valueAt(record, column))));
          await sink.write(stringify(rows, { delimiter, record_delimiter: 'unix' }));
        },
        finish: header,
      };
    }
    case 'table': {
      const columns = fields ?? options.catalog.table;
      const rows: string[][] = [];
      return {
        async writePage(records) {
          for (const record of records) rows.push(columns.map((column) => cell(valueAt(record, column))));
        },
        async finish() {
          const { renderTable } = await import('./table.js');
          await sink.write(renderTable(columns, rows, { styles: options.styles, width: options.width }));
        },
      };
    }
  }
}
