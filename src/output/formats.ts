/** The --format values. No imports: the command registry uses this without loading any writer. */
export const FORMATS = ['json', 'ndjson', 'csv', 'tsv', 'table'] as const;
export type Format = (typeof FORMATS)[number];
