import { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { openSession } from '../auth/open-session.js';
import type { CommandContext } from '../context.js';
import { parseRange, parseSpan, splitRange } from '../dates.js';
import { CliError, UsageError } from '../errors.js';
import { CALL_LOG_FIELDS } from '../output/fields.js';
import { checkOutputTarget } from '../output/sinks.js';
import { type ExportOptions, type ExportResult, runExport } from './export.js';
import { type ExportState, readState, writeState } from './export-state.js';

export interface CallLogOptions extends ExportOptions {
  scope?: 'account' | 'extension';
  from?: string;
  to?: string;
  view: 'Simple' | 'Detailed';
  type?: 'Voice' | 'Fax';
  direction?: 'Inbound' | 'Outbound';
  extensionNumber?: string;
  pageSize: number;
  sinceState?: string;
  overlap: string;
  window?: string;
}

type CallRecord = Record<string, unknown>;

/**
 * `ringcentral call-log`: both dateFrom and dateTo are always sent and dateTo is frozen when the
 * command starts, so pages do not shift while new calls arrive (the API would default to the last
 * 24 hours and a moving "now"). With --since-state, each run continues where the last one ended.
 */
export async function callLog(ctx: CommandContext, options: CallLogOptions, now = new Date()): Promise<ExportResult> {
  if (options.output) checkOutputTarget(options.output);
  const overlapMs = parseSpan(options.overlap, '--overlap');
  const windowMs = options.window === undefined ? undefined : parseSpan(options.window, '--window');
  const state = options.sinceState === undefined ? undefined : startingState(options);
  const range = state
    ? { from: new Date(Date.parse(state.dateTo) - overlapMs), to: parseRange(undefined, options.to, now).to }
    : parseRange(options.from, options.to, now);
  if (range.from >= range.to) throw new UsageError('--since-state: nothing new to export yet (the last run ended at or after --to)');
  const { session } = await openSession(ctx);
  const scope = options.scope ?? ((await isAdmin(new ApiClient(session, { maxWaitMs: options.maxWait * 1000 }))) ? 'account' : 'extension');
  if (state && (state.scope !== scope || state.server !== session.stored.server)) {
    throw new UsageError(
      `--since-state: ${options.sinceState} belongs to the ${state.scope} call log of ${state.server}`,
      'use one state file per server and scope',
    );
  }
  const path = scope === 'account' ? '/restapi/v1.0/account/~/call-log' : '/restapi/v1.0/account/~/extension/~/call-log';
  const filters = {
    view: options.view,
    ...(options.type ? { type: options.type } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.extensionNumber ? { extensionNumber: options.extensionNumber } : {}),
  };
  const skip = new Set(state?.overlapIds ?? []);
  const checkpoint = (to: Date, overlapIds: string[]) => {
    if (options.sinceState) {
      writeState(options.sinceState, {
        version: 1,
        server: session.stored.server,
        scope,
        dateTo: to.toISOString(),
        overlapIds,
        updatedAt: new Date().toISOString(),
      });
    }
  };
  let finalOverlap: { to: Date; ids: string[] } | undefined;
  /** Windows oldest first, records newest first within each; checkpoints between windows (stdout only). */
  async function* pages(client: ApiClient, limit: number | undefined): AsyncGenerator<CallRecord[]> {
    for (const window of splitRange(range, windowMs)) {
      const overlapIds: string[] = [];
      const query = {
        ...filters,
        dateFrom: window.from.toISOString(),
        dateTo: window.to.toISOString(),
        perPage: Math.min(limit ?? options.pageSize, options.pageSize),
      };
      for await (const page of followPages<CallRecord>(client, path, query)) {
        // Remember every id in the next run's overlap, also those an earlier run wrote (skipped here).
        for (const record of page) {
          if (Date.parse(String(record.startTime)) >= window.to.getTime() - overlapMs) overlapIds.push(String(record.id));
        }
        yield page.filter((record) => !skip.has(String(record.id)));
      }
      // Resumed only after the window's last page was written: safe to move the checkpoint.
      finalOverlap = { to: window.to, ids: overlapIds };
      if (!options.output) checkpoint(window.to, overlapIds);
    }
  }
  try {
    const result = await runExport(
      ctx,
      {
        catalog: CALL_LOG_FIELDS,
        pipedFormat: 'ndjson',
        pages,
        position: (last) => `down to the call that started at ${String(last.startTime)} (newest first)`,
      },
      options,
      session,
    );
    if (finalOverlap) checkpoint(finalOverlap.to, finalOverlap.ids);
    return result;
  } catch (error) {
    if (error instanceof CliError && scope === 'account' && /^permission denied/.test(error.message)) {
      throw new CliError(error.message, {
        hint: "reading the whole company's call log needs an admin user (FullCompanyCallLog); use --scope extension for your own calls",
      });
    }
    throw error;
  }
}

function startingState(options: CallLogOptions): ExportState | undefined {
  const file = options.sinceState ?? '';
  if (options.limit !== undefined)
    throw new UsageError('--limit cannot be combined with --since-state (the next run would skip what was cut)');
  const state = readState(file);
  if (!state && options.from === undefined) {
    throw new UsageError(`--since-state: ${file} does not exist yet, so this first run needs --from`, 'e.g. --from 7d');
  }
  if (state && options.from !== undefined) {
    throw new UsageError(
      `--from cannot be combined with --since-state ${file}: the state says where to start`,
      'delete the state file to start over from --from',
    );
  }
  return state;
}

async function isAdmin(client: ApiClient): Promise<boolean> {
  const me = await client.get<{ permissions?: { admin?: { enabled?: boolean } } }>('/restapi/v1.0/account/~/extension/~');
  return me.permissions?.admin?.enabled === true;
}
