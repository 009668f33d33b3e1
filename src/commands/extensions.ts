import { followPages } from '../api/paging.js';
import type { CommandContext } from '../context.js';
import { EXTENSION_FIELDS } from '../output/fields.js';
import { type ExportOptions, type ExportResult, runExport } from './export.js';

export interface ExtensionsOptions extends ExportOptions {
  status?: string[];
  type?: string[];
  extensionNumber?: string;
}

/** `ringcentral extensions`: every extension of the account, all pages, streamed. */
export function extensions(ctx: CommandContext, options: ExtensionsOptions): Promise<ExportResult> {
  const query = {
    ...(options.status?.length ? { status: options.status } : {}),
    ...(options.type?.length ? { type: options.type } : {}),
    ...(options.extensionNumber ? { extensionNumber: options.extensionNumber } : {}),
  };
  return runExport(
    ctx,
    {
      catalog: EXTENSION_FIELDS,
      pipedFormat: 'json',
      pages: (client, limit) =>
        followPages(client, '/restapi/v1.0/account/~/extension', { ...query, perPage: Math.min(limit ?? 1000, 1000) }),
    },
    options,
  );
}
