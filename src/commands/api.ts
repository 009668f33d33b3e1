import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { WaitBudget } from '../api/retry.js';
import { UsageError } from '../errors.js';
import { type ExportResult, runExport } from '../export/run-export.js';
import { outputSink, stdoutSink } from '../output/sinks.js';
import { type CommandContext, exportDeps, openSession } from './context.js';

/** `ringcentral api METHOD PATH`: a raw escape hatch, with the same auth, pacing, retries and exit codes. */

export interface ApiOptions {
  query: string[];
  paginate?: boolean;
  input?: string;
  maxWait: number;
  /** Seconds one request may take (--timeout). */
  timeout?: number;
  /** Write the answer here (atomically) instead of to stdout. */
  output?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function parseQuery(pairs: readonly string[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`-q: "${pair}" is not key=value`);
    const [key, value] = [pair.slice(0, at), pair.slice(at + 1)];
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

async function readBody(input: string, stdin: NodeJS.ReadableStream): Promise<unknown> {
  let text: string;
  try {
    text = input === '-' ? await readAll(stdin) : await readFile(input, 'utf8');
  } catch (error) {
    throw new UsageError(`--input: cannot read "${input}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--input: ${input === '-' ? 'standard input' : input} is not JSON`);
  }
}

/** One request (its JSON printed as it came), or with --paginate every page's records as NDJSON. */
export async function api(ctx: CommandContext, methodText: string, path: string, options: ApiOptions): Promise<ExportResult | unknown> {
  const method = methodText.toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`unknown method "${methodText}"`, `use one of ${METHODS.join(', ')}`);
  if (!path.startsWith('/')) throw new UsageError(`path "${path}" must start with / (e.g. /restapi/v1.0/account/~)`);
  const query = parseQuery(options.query);
  if (options.paginate && method !== 'GET') throw new UsageError('--paginate only works with GET');
  if (options.input !== undefined && (method === 'GET' || method === 'DELETE'))
    throw new UsageError(`--input: ${method} requests have no body`);
  const body = options.input === undefined ? undefined : await readBody(options.input, ctx.io.stdin);
  if (options.paginate) {
    return runExport(
      exportDeps(ctx),
      {
        catalog: { all: [], defaults: [], table: [] },
        pipedFormat: 'ndjson',
        pages: (client) => followPages<Record<string, unknown>>(client, path, query),
      },
      { format: 'ndjson', progress: false, maxWait: options.maxWait },
    );
  }
  const budget = new WaitBudget(options.maxWait * 1000);
  const { session } = await openSession(ctx, { budget });
  const client = new ApiClient(session, {
    budget,
    logger: ctx.logger,
    env: ctx.io.env,
    ...(options.timeout ? { requestTimeoutMs: options.timeout * 1000 } : {}),
  });
  const result = await client.request<unknown>(method, path, query, body, true);
  if (result === undefined) return result;
  // JSON pretty-printed; anything else (a recording, a fax, text) as the bytes that came.
  const data = Buffer.isBuffer(result) ? result : `${JSON.stringify(result, null, 2)}\n`;
  const sink = options.output ? await outputSink(options.output, ctx.io.stdout) : stdoutSink(ctx.io.stdout);
  try {
    await sink.write(data);
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  return result;
}
