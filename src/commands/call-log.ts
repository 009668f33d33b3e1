import { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { openSession } from '../auth/open-session.js';
import type { CommandContext } from '../context.js';
import { parseRange } from '../dates.js';
import { CliError } from '../errors.js';
import { CALL_LOG_FIELDS } from '../output/fields.js';
import { type ExportOptions, type ExportResult, runExport } from './export.js';

export interface CallLogOptions extends ExportOptions {
  scope?: 'account' | 'extension';
  from?: string;
  to?: string;
  view: 'Simple' | 'Detailed';
  type?: 'Voice' | 'Fax';
  direction?: 'Inbound' | 'Outbound';
  extensionNumber?: string;
  pageSize: number;
}

/**
 * `ringcentral call-log`: both dateFrom and dateTo are always sent and dateTo is frozen when the
 * command starts, so pages do not shift while new calls arrive (the API would default to the last
 * 24 hours and a moving "now").
 */
export async function callLog(ctx: CommandContext, options: CallLogOptions, now = new Date()): Promise<ExportResult> {
  const range = parseRange(options.from, options.to, now);
  const { session } = await openSession(ctx);
  const scope = options.scope ?? ((await isAdmin(new ApiClient(session, { maxWaitMs: options.maxWait * 1000 }))) ? 'account' : 'extension');
  const path = scope === 'account' ? '/restapi/v1.0/account/~/call-log' : '/restapi/v1.0/account/~/extension/~/call-log';
  const query = {
    dateFrom: range.from.toISOString(),
    dateTo: range.to.toISOString(),
    view: options.view,
    ...(options.type ? { type: options.type } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.extensionNumber ? { extensionNumber: options.extensionNumber } : {}),
  };
  try {
    return await runExport(
      ctx,
      {
        catalog: CALL_LOG_FIELDS,
        pipedFormat: 'ndjson',
        pages: (client, limit) => followPages(client, path, { ...query, perPage: Math.min(limit ?? options.pageSize, options.pageSize) }),
        position: (last) => `down to the call that started at ${String(last.startTime)} (newest first)`,
      },
      options,
      session,
    );
  } catch (error) {
    if (error instanceof CliError && scope === 'account' && /^permission denied/.test(error.message)) {
      throw new CliError(error.message, {
        hint: "reading the whole company's call log needs an admin user (FullCompanyCallLog); use --scope extension for your own calls",
      });
    }
    throw error;
  }
}

async function isAdmin(client: ApiClient): Promise<boolean> {
  const me = await client.get<{ permissions?: { admin?: { enabled?: boolean } } }>('/restapi/v1.0/account/~/extension/~');
  return me.permissions?.admin?.enabled === true;
}
