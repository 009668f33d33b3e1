import { PATHS } from '../api/endpoints.js';
import { followPages } from '../api/paging.js';
import { type ExportOptions, type ExportResult, runExport } from '../export/run-export.js';
import { chosenFields, EXTENSION_FIELDS } from '../output/fields.js';
import { type CommandContext, exportDeps } from './context.js';

export interface ExtensionsOptions extends Omit<ExportOptions, 'fields'> {
  /** true: list the fields and stop. */
  fields?: string | boolean;
  /** --json FIELDS: -f json --fields FIELDS. */
  json?: string;
  status?: string[];
  type?: string[];
  extensionNumber?: string;
}

/** `ringcentral extensions`: every extension of the account, all pages, streamed. */
export async function extensions(ctx: CommandContext, options: ExtensionsOptions): Promise<ExportResult | undefined> {
  const { list, fields, format } = chosenFields(options, EXTENSION_FIELDS);
  if (list) {
    ctx.io.stdout.write(`${EXTENSION_FIELDS.all.join('\n')}\n`);
    return undefined;
  }
  const query = {
    ...(options.status?.length ? { status: options.status } : {}),
    ...(options.type?.length ? { type: options.type } : {}),
    ...(options.extensionNumber ? { extensionNumber: options.extensionNumber } : {}),
  };
  return runExport(
    exportDeps(ctx),
    {
      catalog: EXTENSION_FIELDS,
      pipedFormat: 'json',
      pages: (client, limit) => followPages(client, PATHS.extensions, { ...query, perPage: Math.min(limit ?? 1000, 1000) }),
    },
    { ...options, fields, format: format ?? options.format },
  );
}
