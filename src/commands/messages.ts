import type { ApiClient } from '../api/client.js';
import { PATHS } from '../api/endpoints.js';
import { followPages } from '../api/paging.js';
import { parseRange, parseSpan } from '../config/dates.js';
import { CliError, ExitCode, PermissionError, UsageError } from '../errors.js';
import { prepareExport } from '../export/checks.js';
import { ATTACHMENTS, MediaArchive } from '../export/media-archive.js';
import { type ExportOptions, type ExportResult, runExport } from '../export/run-export.js';
import { serverPresent } from '../export/server-time.js';
import { SinceState } from '../export/since-state.js';
import { type WindowDone, windowedPages } from '../export/windows.js';
import { MESSAGE_FIELDS } from '../output/fields.js';
import { type CommandContext, exportDeps } from './context.js';

/** Extension types with a mailbox, walked by --all-extensions (enabled ones only). */
const MAILBOX_TYPES = ['User', 'Department', 'FaxUser'] as const;

export interface MessagesOptions extends Omit<ExportOptions, 'fields'> {
  fields?: string | boolean;
  json?: string;
  type?: string[];
  direction?: 'Inbound' | 'Outbound';
  readStatus?: 'Read' | 'Unread';
  from?: string;
  to?: string;
  /** Every user's mailbox (admins), walked extension by extension; --scope account says the same. */
  allExtensions?: boolean;
  scope?: 'account' | 'extension';
  pageSize: number;
  sinceState?: string;
  resetState?: boolean;
  overlap: string;
  /** --attachments DIR: download each exported message's attachments there. */
  attachments?: string;
}

/**
 * `ringcentral messages`: the message store (SMS/MMS, Pager, voicemail, fax), the signed-in user's
 * mailbox or, with --all-extensions, every mailbox of the account, newest first per mailbox. Both
 * dateFrom and dateTo are always sent (the API's default is the last 24 h); with --since-state,
 * each run continues where the last one ended, by the server's clock, writing each message once.
 */
export async function messages(ctx: CommandContext, options: MessagesOptions, now = new Date()): Promise<ExportResult | undefined> {
  const prepared = prepareExport(options, MESSAGE_FIELDS, ctx.io.stdout);
  if (!prepared) return undefined;
  if (options.scope === 'extension' && options.allExtensions) {
    throw new UsageError('--scope extension and --all-extensions contradict each other', 'choose one');
  }
  if (options.scope === 'account') options.allExtensions = true;
  if (options.sinceState !== undefined && options.to !== undefined) {
    throw new UsageError('--to cannot be combined with --since-state', 'each run reads up to the present');
  }
  const overlapMs = parseSpan(options.overlap, '--overlap');
  parseRange(options.from, options.to, now);
  const since = options.sinceState === undefined ? undefined : await SinceState.start(options.sinceState, options);
  try {
    return await MediaArchive.around(options.attachments, ATTACHMENTS, ctx.logger, (archive) =>
      exportMessages(ctx, options, prepared.fields, since, archive, overlapMs, now),
    );
  } finally {
    await since?.end();
  }
}

async function exportMessages(
  ctx: CommandContext,
  options: MessagesOptions,
  fields: string[] | undefined,
  since: SinceState | undefined,
  archive: MediaArchive | undefined,
  overlapMs: number,
  now: Date,
): Promise<ExportResult> {
  const scope = options.allExtensions ? 'account' : 'extension';
  const resumeFrom = since?.startFrom(overlapMs);
  const range = resumeFrom ? { from: resumeFrom, to: now } : parseRange(options.from, options.to, now);
  if (since && !since.previous && options.from === undefined) {
    ctx.logger.info(`First run with ${since.file}: exporting the last 24 h (give --from to start elsewhere).`);
  }
  const filters = {
    ...(options.type?.length ? { messageType: options.type } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.readStatus ? { readStatus: options.readStatus } : {}),
  };
  let server = '';
  const overlapIds = new Set<string>();
  async function* pages(client: ApiClient, limit: number | undefined) {
    server = client.source.server;
    since?.check(scope, server, 'messages');
    archive?.check(client);
    // A state's checkpoint is the server's present, not ours.
    if (since) range.to = await serverPresent(client, now);
    const mailboxes = options.allExtensions ? await mailboxesOf(client) : ['~'];
    for (const mailbox of mailboxes) {
      yield* windowedPages(
        client,
        {
          path: `/restapi/v1.0/account/~/extension/${mailbox}/message-store`,
          filters,
          range,
          windowMs: undefined,
          overlapMs,
          pageSize: options.pageSize,
          skip: since?.alreadyWritten ?? new Set<string>(),
          remember: since !== undefined,
          timeField: 'creationTime',
        },
        limit,
        (done: WindowDone) => {
          for (const id of done.overlapIds) overlapIds.add(id);
        },
      );
    }
  }
  try {
    const result = await runExport(
      exportDeps(ctx),
      {
        catalog: MESSAGE_FIELDS,
        pipedFormat: 'ndjson',
        pages,
        position: (last) => `down to the message created at ${String(last.creationTime)} (newest first per mailbox)`,
        ...(archive ? { written: archive.take.bind(archive), progressDetail: archive.detail.bind(archive) } : {}),
      },
      { ...options, fields },
    );
    // Every mailbox was read to the end: the next run starts from here.
    since?.save(server, scope, { to: range.to, overlapIds: [...overlapIds] }, 'messages');
    return result;
  } catch (error) {
    throw explainDenied(error, options.allExtensions ?? false);
  }
}

/** The enabled extensions that have a mailbox, by id. */
async function mailboxesOf(client: ApiClient): Promise<string[]> {
  const ids: string[] = [];
  const query = { type: [...MAILBOX_TYPES], status: 'Enabled', perPage: 1000 };
  for await (const page of followPages<{ id: number | string }>(client, PATHS.extensions, query)) {
    for (const extension of page) ids.push(String(extension.id));
  }
  return ids;
}

/** A refused mailbox or permission: exit 4, naming what is missing. */
function explainDenied(error: unknown, allExtensions: boolean): unknown {
  const denied =
    error instanceof PermissionError
      ? error
      : error instanceof CliError && error.cause instanceof PermissionError
        ? error.cause
        : undefined;
  if (!denied) return error;
  const hint =
    denied.permission === 'ReadMessages'
      ? 'add "Read Messages" to the app\'s permissions in the RingCentral developer console, then sign in again (ringcentral login)'
      : allExtensions
        ? "--all-extensions reads every user's mailbox: sign in as an admin, or leave it out for your own messages"
        : denied.hint;
  return new CliError((error as CliError).message, { exitCode: ExitCode.auth, hint, cause: error });
}
