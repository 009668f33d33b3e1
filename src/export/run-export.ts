import type { Stats } from 'node:fs';
import { extname } from 'node:path';
import { ApiClient } from '../api/client.js';
import { WaitBudget } from '../api/retry.js';
import type { TokenSource } from '../api/transport.js';
import { CliError, ExitCode, InterruptedError, TemporaryError, UsageError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';
import type { OutStream } from '../io.js';
import { loadStyles, useColor } from '../output/colors.js';
import type { FieldCatalog } from '../output/fields.js';
import type { Format } from '../output/formats.js';
import { createJq } from '../output/jq.js';
import type { Logger } from '../output/logger.js';
import { pagerSink } from '../output/pager.js';
import { createProgress } from '../output/progress.js';
import { outputSink, PipeClosedError, type Sink, stdoutSink } from '../output/sinks.js';
import { createFormatter, type RecordFormatter } from '../output/writers.js';
import { collectWritten } from './page-gc.js';

/**
 * The streaming export loop behind `extensions`, `call-log` and `api --paginate`: pages in,
 * records out, at most two pages in memory; a failure never leaves a half file or a closed JSON
 * array.
 */

export interface ExportOptions {
  format?: Format;
  fields?: string[];
  output?: string;
  limit?: number;
  progress: boolean;
  maxWait: number;
  /** Bound on the whole run, seconds (--max-time). */
  maxTime?: number;
  /** --raw-csv: no spreadsheet-formula guard in CSV/TSV cells. */
  rawCsv?: boolean;
  /** --utc: table times in UTC. */
  utc?: boolean;
  /** --jq EXPR: each record through jq. */
  jq?: string;
}

/** Rows a table on a terminal shows without --limit. */
export const TERMINAL_ROWS = 50;

/** What an export needs from the command: a way to get a session, a logger and the terminal. */
export interface ExportDeps {
  /** The session, spending token-endpoint waits from the export's budget. */
  openSession(options: { budget: WaitBudget; signal: AbortSignal }): Promise<TokenSource>;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  stdout: OutStream;
  stderr: OutStream;
}

export interface ExportSpec {
  catalog: FieldCatalog;
  /** Format when --format is absent and stdout is not a terminal. */
  pipedFormat: Format;
  /** Yields pages of records; `limit` is how many more are wanted (for perPage). */
  pages(client: ApiClient, limit: number | undefined): AsyncIterable<readonly Record<string, unknown>[]>;
  /** Where an interrupted or failed export stopped, in words (e.g. the oldest startTime written). */
  position?(last: Record<string, unknown>): string;
  /** With --output FILE: the finished output, just before it replaces FILE. */
  beforeRename?(written: Stats): void;
  /**
   * Each page's records once written out (e.g. their recordings archived); `redraw` updates the
   * progress line, which then ends with `progressDetail()`.
   */
  written?(records: readonly Record<string, unknown>[], client: ApiClient, redraw: () => void): Promise<void>;
  progressDetail?(): string;
}

export interface ExportResult {
  records: number;
  pages: number;
}

export function chooseFormat(format: Format | undefined, piped: Format, stdoutIsTty: boolean, output: string | undefined): Format {
  if (format) {
    if (format === 'table' && output) throw new UsageError('--format table is for terminals; use csv, tsv, json or ndjson with --output');
    return format;
  }
  const byExtension = output ? FORMAT_OF_EXTENSION[extname(output).toLowerCase()] : undefined;
  if (byExtension) return byExtension;
  return stdoutIsTty && !output ? 'table' : piped;
}

/** Without --format, an --output file's extension says what to write (`-o calls.csv`). */
const FORMAT_OF_EXTENSION: Record<string, Format> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

export async function runExport(deps: ExportDeps, spec: ExportSpec, options: ExportOptions): Promise<ExportResult> {
  const { stdout } = deps;
  if (options.jq !== undefined && options.format !== undefined && options.format !== 'json' && options.format !== 'ndjson') {
    throw new UsageError(`--jq works on JSON: it cannot go with --format ${options.format}`);
  }
  // jq reads the records as NDJSON (one input a record); a bad expression stops here, before any request.
  const jq = options.jq === undefined ? undefined : await createJq(options.jq);
  const format = jq ? 'ndjson' : chooseFormat(options.format, spec.pipedFormat, Boolean(stdout.isTTY), options.output);
  // A table on the terminal shows the newest rows (TERMINAL_ROWS unless --limit), through a pager
  // when long; its rows are its progress. Any other export draws a progress line when stderr is a
  // terminal, taken off the screen before data reaches the same terminal.
  const onTerminal = !options.output && Boolean(stdout.isTTY);
  const tableOnTerminal = format === 'table' && onTerminal;
  const limit = options.limit ?? (tableOnTerminal ? TERMINAL_ROWS : undefined);
  const progress = deps.logger.quiet
    ? createProgress(false, Date.now, { write: () => true } as unknown as NodeJS.WritableStream)
    : createProgress(options.progress && !tableOnTerminal && Boolean(deps.stderr.isTTY), Date.now, deps.stderr);
  const deadline = runDeadline(interruptSignal(), options.maxTime);
  const { signal } = deadline;
  const budget = new WaitBudget(options.maxWait * 1000);
  const sink: Sink = options.output
    ? await outputSink(options.output, stdout)
    : tableOnTerminal
      ? await pagerSink(stdout, deps.env, stdout.rows ?? 24)
      : stdoutSink(stdout);
  let source: TokenSource;
  try {
    source = await deps.openSession({ budget, signal });
  } catch (error) {
    await sink.abort();
    throw error;
  }
  const client = new ApiClient(source, {
    budget,
    signal,
    logger: deps.logger,
    env: deps.env,
    onWait: ({ ms, reason }) => {
      if (ms >= 1000) progress.note(`waiting ${Math.ceil(ms / 1000)} s: ${reason}`);
    },
  });
  const formatter = await createFormatter({
    format,
    fields: options.fields,
    catalog: spec.catalog,
    styles: await loadStyles(format === 'table' && useColor(() => stdout, deps.env)),
    width: stdout.columns ?? (Number(deps.env.COLUMNS) || 120),
    rawCsv: options.rawCsv ?? false,
    utc: options.utc ?? false,
  });
  const result: ExportResult = { records: 0, pages: 0 };
  let last: Record<string, unknown> | undefined;
  try {
    const take = pageTaker(limit, spec.written !== undefined);
    for await (const page of spec.pages(client, limit)) {
      if (signal.aborted) throw new InterruptedError();
      // Only the text outlives this line: the page's records can be collected while it is written.
      const taken = take(page, formatter);
      const { count, lastRecord } = taken;
      const chunks = jq ? [await jq.run(taken.chunks.join(''))].filter(Boolean) : taken.chunks;
      result.pages += 1;
      result.records += count;
      last = lastRecord ?? last;
      if (onTerminal && chunks.length > 0) progress.clear();
      for (const chunk of chunks) await sink.write(chunk);
      const redraw = () => progress.update(result.records, result.pages, spec.progressDetail?.());
      if (spec.written && taken.records) await spec.written(taken.records, client, redraw);
      if (result.pages > 1) await collectWritten();
      redraw();
      if (limit !== undefined && result.records >= limit) break;
    }
    if (onTerminal) progress.clear();
    await sink.write(await formatter.end());
    if (tableOnTerminal && options.limit === undefined && result.records >= TERMINAL_ROWS) {
      await sink.write(`\nShowing the first ${TERMINAL_ROWS}. More: --limit N; all of them in a file: -f csv -o FILE\n`);
    }
    await sink.close(spec.beforeRename);
    progress.done();
    if (options.output) deps.logger.info(`Wrote ${result.records.toLocaleString('en-US')} records to ${options.output}`);
    return result;
  } catch (error) {
    progress.done();
    await sink.abort();
    if (error instanceof PipeClosedError) return result;
    const reason = deadline.passed()
      ? new TemporaryError(`stopped after --max-time ${options.maxTime} s`, 'raise --max-time, or narrow --from/--to')
      : error;
    throw explain(reason, result, sink, options.output, last && spec.position ? spec.position(last) : undefined);
  } finally {
    deadline.clear();
  }
}

/** Ctrl-C, and the end of --max-time: either stops the export (the same signal, told apart afterwards). */
function runDeadline(interrupt: AbortSignal, maxTimeSeconds: number | undefined) {
  if (maxTimeSeconds === undefined) return { signal: interrupt, passed: () => false, clear: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), maxTimeSeconds * 1000);
  return {
    signal: AbortSignal.any([interrupt, controller.signal]),
    passed: () => controller.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}

interface TakenPage {
  chunks: string[];
  /** The records written (after duplicates and --limit), when kept (otherwise they are freed with the page). */
  records: readonly Record<string, unknown>[] | undefined;
  count: number;
  lastRecord: Record<string, unknown> | undefined;
}

/**
 * Turns each page into text: duplicates dropped (the range is frozen, so only a shifted page can
 * repeat a record, and the previous page is enough to compare with), then cut at --limit.
 */
export function pageTaker(
  limit: number | undefined,
  keepRecords = false,
): (page: readonly Record<string, unknown>[], formatter: RecordFormatter) => TakenPage {
  let previousIds = new Set<string>();
  let taken = 0;
  return (page, formatter) => {
    const ids = new Set<string>();
    // Only records with an id can repeat; some endpoints (presence, ...) have none: all kept.
    let fresh = page.filter((record) => {
      if (record.id === undefined || record.id === null) return true;
      const id = String(record.id);
      if (previousIds.has(id) || ids.has(id)) return false;
      ids.add(id);
      return true;
    });
    previousIds = ids;
    if (limit !== undefined) fresh = fresh.slice(0, limit - taken);
    taken += fresh.length;
    return { chunks: formatter.page(fresh), records: keepRecords ? fresh : undefined, count: fresh.length, lastRecord: fresh.at(-1) };
  };
}

/** Says what was written before a failure, so a script or a person knows what to redo. */
function explain(error: unknown, result: ExportResult, sink: Sink, output: string | undefined, position: string | undefined): unknown {
  if (!(error instanceof CliError)) return error;
  const written = output
    ? `nothing was written to ${output}`
    : `${result.records} records were written to ${sink.description}${position ? `, ${position}` : ''}`;
  if (error instanceof InterruptedError) return new InterruptedError(`interrupted: ${written}`);
  if (error.exitCode === ExitCode.usage || (result.records === 0 && !output)) return error;
  return new CliError(`${error.message}; ${written}`, { exitCode: error.exitCode, hint: error.hint, cause: error });
}
