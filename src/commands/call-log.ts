import type { ApiClient } from '../api/client.js';
import { PATHS } from '../api/endpoints.js';
import { parseRange, parseSpan } from '../config/dates.js';
import { CliError, ExitCode, PermissionError, UsageError } from '../errors.js';
import { ChangeReader, planChanges } from '../export/call-log-changes.js';
import { prepareExport } from '../export/checks.js';
import { MediaArchive, RECORDINGS } from '../export/media-archive.js';
import { type ExportOptions, type ExportResult, runExport } from '../export/run-export.js';
import { serverPresent } from '../export/server-time.js';
import { type CallLogScope, type ExportState, SinceState, type SyncState } from '../export/since-state.js';
import { type WindowDone, windowedPages } from '../export/windows.js';
import { CALL_LOG_FIELDS } from '../output/fields.js';
import { type CommandContext, exportDeps } from './context.js';

export interface CallLogOptions extends Omit<ExportOptions, 'fields'> {
  /** true: list the fields and stop. */
  fields?: string | boolean;
  /** --json FIELDS: -f json --fields FIELDS. */
  json?: string;
  scope?: CallLogScope;
  from?: string;
  to?: string;
  /** Default Simple, or Detailed with --recordings (legs may carry recordings of their own). */
  view?: 'Simple' | 'Detailed';
  type?: 'Voice' | 'Fax';
  direction?: 'Inbound' | 'Outbound';
  extensionNumber?: string;
  pageSize: number;
  sinceState?: string;
  /** With --since-state: start over, ignoring what the state file says. */
  resetState?: boolean;
  /** With --since-state: every new version and deletions, not each call once in final form. */
  changes?: boolean;
  overlap: string;
  window?: string;
  /** --recordings DIR: download each exported call's recordings there. */
  recordings?: string;
}

/**
 * `ringcentral call-log`: both dateFrom and dateTo are always sent and dateTo is frozen when the
 * command starts, so pages do not shift while new calls arrive (the API would default to the last
 * 24 hours and a moving "now"). With --since-state, each run continues where the last one ended.
 */
export async function callLog(ctx: CommandContext, options: CallLogOptions, now = new Date()): Promise<ExportResult | undefined> {
  const prepared = prepareExport(options, CALL_LOG_FIELDS, ctx.io.stdout);
  if (!prepared) return undefined;
  const { fields } = prepared;
  parseSpan(options.overlap, '--overlap');
  if (options.window !== undefined) parseSpan(options.window, '--window');
  if (options.changes && options.sinceState === undefined) throw new UsageError('--changes goes with --since-state FILE');
  if (options.changes && options.scope === 'extension') {
    throw new UsageError('--changes reads the company call log (call-log-extract-sync)', 'drop --scope extension');
  }
  // Checked before the lock is taken: a bad --from or --to never waits for another run.
  parseRange(options.from, options.to, now);
  options.view ??= options.recordings === undefined ? 'Simple' : 'Detailed';
  const since = options.sinceState === undefined ? undefined : await SinceState.start(options.sinceState, options);
  try {
    return await MediaArchive.around(options.recordings, RECORDINGS, ctx.logger, (archive) =>
      exportCallLog(ctx, options, fields, since, now, archive),
    );
  } finally {
    await since?.end();
  }
}

async function exportCallLog(
  ctx: CommandContext,
  options: CallLogOptions,
  fields: string[] | undefined,
  since: SinceState | undefined,
  now: Date,
  archive: MediaArchive | undefined,
): Promise<ExportResult> {
  const overlapMs = parseSpan(options.overlap, '--overlap');
  const windowMs = options.window === undefined ? undefined : parseSpan(options.window, '--window');
  const synced = since ? companyChanges(ctx, since, options, overlapMs, now) : undefined;
  const resumeFrom = since?.startFrom(overlapMs);
  const range = resumeFrom
    ? { from: resumeFrom, to: parseRange(undefined, options.to, now).to }
    : parseRange(options.from, options.to, now);
  // A state's checkpoint is the server's time, not ours (which may be wrong, or jump back).
  const serverEnd = since !== undefined && options.to === undefined;
  if (!serverEnd && range.from >= range.to) {
    throw new UsageError('--since-state: nothing new to export yet (the last run ended at or after --to)');
  }
  checkBounds(range, windowMs);
  if (since && !since.previous && options.from === undefined && !synced) {
    ctx.logger.info(`First run with ${since.file}: exporting the last 24 h (give --from to start elsewhere).`);
  }
  let scope = options.scope;
  let server = '';
  let lastWindow: WindowDone | undefined;
  const checkpoint = (done: WindowDone) => {
    lastWindow = done;
    // On stdout, records of a finished window are out for good: move on. A file appears only at the end.
    if (!options.output && scope) since?.save(server, scope, done);
  };
  const queryFor = (chosen: CallLogScope) => ({
    path: chosen === 'account' ? PATHS.accountCallLog : PATHS.extensionCallLog,
    filters: filtersOf(options),
    range,
    windowMs,
    overlapMs,
    pageSize: options.pageSize,
    skip: since?.alreadyWritten ?? new Set<string>(),
    holdRunning: since !== undefined,
    remember: since !== undefined,
  });
  async function* pages(client: ApiClient, limit: number | undefined) {
    server = client.source.server;
    archive?.check(client);
    // A state file follows the log it started with.
    scope ??= since?.previous?.scope;
    if (synced && scope !== 'extension') {
      since?.check('account', server);
      const changes = synced.reader.pages(client);
      let first: IteratorResult<Record<string, unknown>[]>;
      try {
        first = await changes.next();
      } catch (error) {
        if (!(error instanceof PermissionError)) throw error;
        // The company log was insisted on (--scope account, --changes): exit 4, naming the permission.
        if (scope === 'account' || options.changes) {
          scope = 'account';
          throw error;
        }
        scope = 'extension';
        ctx.logger.info(OWN_CALLS_NOTE);
        if (!(await endAtServerTime(client))) return;
        yield* windowedPages(client, queryFor('extension'), limit, checkpoint);
        return;
      }
      if (scope === undefined) sayScope();
      scope = 'account';
      if (!first.done) yield first.value;
      yield* changes;
      return;
    }
    if (scope === undefined) {
      yield* companyOrOwn(client, limit);
      return;
    }
    since?.check(scope, server);
    if (serverEnd && !(await endAtServerTime(client))) return;
    yield* windowedPages(client, queryFor(scope), limit, checkpoint);
  }
  /** On a terminal, the log chosen for the user is said (scripts know what they asked for). */
  function sayScope(): void {
    if (ctx.io.stderr.isTTY) ctx.logger.info("Exporting the company's call log (every extension); --scope extension for your own calls.");
  }
  /** Ends the range at the server's present; false if that is not after the last run's end (nothing to do). */
  async function endAtServerTime(client: ApiClient): Promise<boolean> {
    const end = await serverPresent(client, now);
    if (end.getTime() <= range.from.getTime()) {
      ctx.logger.warn(`--since-state: the server's clock (${end.toISOString()}) is not past the last run's end yet: nothing to do`);
      return false;
    }
    range.to = end;
    return true;
  }
  /**
   * No --scope: the company log if the user may read it (the user permission FullCompanyCallLog,
   * which an admin may lack and a non-admin may have), else the user's own, said on stderr.
   */
  async function* companyOrOwn(client: ApiClient, limit: number | undefined) {
    const company = windowedPages(client, queryFor('account'), limit, checkpoint);
    let first: IteratorResult<Record<string, unknown>[]>;
    try {
      first = await company.next();
    } catch (error) {
      if (!(error instanceof PermissionError)) throw error;
      scope = 'extension';
      ctx.logger.info(OWN_CALLS_NOTE);
      yield* windowedPages(client, queryFor('extension'), limit, checkpoint);
      return;
    }
    sayScope();
    scope = 'account';
    if (!first.done) yield first.value;
    yield* company;
  }
  /** The company log's next state, once its reader has seen every page (a reader cut short, `| head`, moves nothing). */
  const nextSyncState = () =>
    synced?.reader.complete && since && scope === 'account' ? synced.reader.nextState(server, since.synced, new Date()) : undefined;
  let prepared = false;
  try {
    const result = await runExport(
      exportDeps(ctx),
      {
        catalog: options.changes ? CHANGES_CATALOG : CALL_LOG_FIELDS,
        pipedFormat: 'ndjson',
        pages,
        position: (last) =>
          synced && scope === 'account'
            ? 'in the order the records changed'
            : `down to the call that started at ${String(last.startTime)} (newest first)`,
        ...(archive ? { written: archive.take.bind(archive), progressDetail: archive.detail.bind(archive) } : {}),
        // With --output, the company log's state moves with the file (two-phase, see SinceState.prepare).
        beforeRename: (written) => {
          const state = nextSyncState();
          if (!state || !since || !options.output) return;
          since.prepare(state, options.output, written);
          prepared = true;
        },
      },
      { ...options, fields },
    );
    if (scope === 'account' && synced && since) {
      if (prepared) since.commit();
      else {
        const state = nextSyncState();
        if (state) since.saveSync(state);
      }
    } else if (lastWindow && scope) since?.save(server, scope, lastWindow);
    return result;
  } catch (error) {
    throw scope === 'account' ? explainAccountDenied(error) : error;
  }
}

const OWN_CALLS_NOTE =
  'Exporting your own calls: this user may not read the company call log (it needs the FullCompanyCallLog permission). Use --scope extension to say so, or --scope account to insist.';

/** --changes adds the version and the deletion flag to the default CSV/TSV columns. */
const CHANGES_CATALOG = { ...CALL_LOG_FIELDS, defaults: [...CALL_LOG_FIELDS.defaults, 'lastModifiedTime', 'deleted'] };

/**
 * --since-state on the company log (or on no --scope, until the company log is refused): a
 * ChangeReader over call-log-extract-sync, planned from the state file or, on a first run, from
 * --from (default 24 h back). Undefined when the state file is the user's own log.
 */
function companyChanges(ctx: CommandContext, since: SinceState, options: CallLogOptions, overlapMs: number, now: Date) {
  if (options.scope === 'extension' || since.previous?.scope === 'extension') return undefined;
  if (options.to !== undefined) {
    throw new UsageError('--to cannot be combined with --since-state on the company call log', 'each run reads up to the present');
  }
  if (options.window !== undefined) {
    throw new UsageError(
      '--window does not apply to --since-state on the company call log',
      'it reads changes, 1000 a request; drop --window',
    );
  }
  const mode = options.changes ? 'changes' : 'final';
  const previous = since.synced ?? migrated(since.windowed, overlapMs);
  if (previous && previous.mode !== mode) {
    throw new UsageError(
      `--since-state: ${since.file} was written by ${previous.mode === 'changes' ? 'a --changes run' : 'a run without --changes'}`,
      'use one state file per mode, or add --reset-state to start this one over',
    );
  }
  const origin = parseRange(options.from, undefined, now).from.getTime();
  if (!previous && options.from === undefined) {
    ctx.logger.info(`First run with ${since.file}: exporting the last 24 h (give --from to start elsewhere).`);
  }
  const view = options.changes ? 'Detailed' : (options.view ?? 'Simple');
  return { reader: new ChangeReader(planChanges(mode, previous, origin, overlapMs, view)) };
}

/** A windowed state of the company log (written before the sync APIs were used) continues as a sync state. */
function migrated(state: ExportState | undefined, overlapMs: number): SyncState | undefined {
  if (state?.scope !== 'account') return undefined;
  const from = new Date(Date.parse(state.dateTo) - overlapMs).toISOString();
  return {
    version: 2,
    server: state.server,
    scope: 'account',
    mode: 'final',
    origin: from,
    syncTime: state.dateTo,
    forgetBefore: from,
    seen: Object.fromEntries(state.overlapIds.map((id) => [id, Date.parse(state.dateTo)])),
    updatedAt: state.updatedAt,
  };
}

const MAX_WINDOWS = 10_000;
const MAX_SPAN_MS = 10 * 366 * 86_400_000;

/** A range of centuries, or a million one-minute windows, is a typo: refused before any request. */
function checkBounds(range: { from: Date; to: Date }, windowMs: number | undefined): void {
  const span = range.to.getTime() - range.from.getTime();
  if (span > MAX_SPAN_MS) {
    throw new UsageError(
      `--from: ${range.from.toISOString()} is more than 10 years before --to`,
      'RingCentral keeps call logs for far less; choose a nearer start',
    );
  }
  const windows = windowMs ? Math.ceil(span / windowMs) : 1;
  if (windows > MAX_WINDOWS) {
    throw new UsageError(`--window: ${windows} windows over this range (at most ${MAX_WINDOWS})`, 'choose a larger --window, e.g. 1d');
  }
}

function filtersOf(options: CallLogOptions): Record<string, string> {
  return {
    view: options.view ?? 'Simple',
    ...(options.type ? { type: options.type } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.extensionNumber ? { extensionNumber: options.extensionNumber } : {}),
  };
}

/** The company log was asked for and refused: exit 4, naming the permission (an admin may lack it). */
function explainAccountDenied(error: unknown): unknown {
  const denied = error instanceof PermissionError || (error instanceof CliError && error.cause instanceof PermissionError);
  if (!denied) return error;
  return new CliError((error as CliError).message, {
    exitCode: ExitCode.auth,
    hint:
      "reading the company's call log needs the user permission FullCompanyCallLog (being an admin is not enough): " +
      'ask an admin to grant it, or use --scope extension for your own calls',
  });
}
