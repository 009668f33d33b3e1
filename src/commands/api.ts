import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { WaitBudget } from '../api/retry.js';
import { UsageError } from '../errors.js';
import { type ExportResult, runExport } from '../export/run-export.js';
import { createJq } from '../output/jq.js';
import { outputSink, stdoutSink } from '../output/sinks.js';
import { type CommandContext, exportDeps, openSession } from './context.js';

/** `ringcentral api METHOD PATH`: a raw escape hatch, with the same auth, pacing, retries and exit codes. */

export interface ApiOptions {
  query: string[];
  /** -X: the method (default GET, or POST when there is a body or fields). */
  method?: string;
  /** -H key:value (repeatable). */
  header?: string[];
  /** -f key=value: string fields; -F key=value: typed fields (true/false/null/numbers, @file). */
  rawField?: string[];
  field?: string[];
  /** -i: the status line and headers before the body. */
  include?: boolean;
  /** -q/--jq EXPR over the JSON answer (or each record with --paginate). */
  jq?: string;
  /** --slurp with --paginate: every record in one JSON array. */
  slurp?: boolean;
  paginate?: boolean;
  input?: string;
  maxWait: number;
  /** Seconds one request may take (--timeout). */
  timeout?: number;
  /** Write the answer here (atomically) instead of to stdout. */
  output?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function parseQuery(pairs: readonly string[], flag = '--query'): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag}: "${pair}" is not key=value`);
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

/** `api /account/~` means `/restapi/v1.0/account/~`, as `gh api repos/...` means the REST root. */
export function apiPath(path: string): string {
  const absolute = path.startsWith('/') ? path : `/${path}`;
  return /^\/(restapi|scim|analytics|team-messaging|webinar|ai|rcvideo|media)(\/|$)/.test(absolute) ? absolute : `/restapi/v1.0${absolute}`;
}

function parseHeaders(pairs: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf(':');
    if (at <= 0) throw new UsageError(`-H: "${pair}" is not key:value`);
    const name = pair.slice(0, at).trim();
    if (name.toLowerCase() === 'authorization') throw new UsageError("-H: the Authorization header is the session's own");
    headers[name] = pair.slice(at + 1).trim();
  }
  return headers;
}

/** -F values: true, false, null and numbers as JSON, `@file` as the file's text, the rest as strings. */
async function typedValue(text: string): Promise<unknown> {
  if (text === 'true' || text === 'false' || text === 'null') return JSON.parse(text);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('@')) {
    try {
      return (await readFile(text.slice(1), 'utf8')).replace(/\n$/, '');
    } catch (error) {
      throw new UsageError(`-F: cannot read "${text.slice(1)}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return text;
}

async function fieldsOf(options: ApiOptions): Promise<Record<string, unknown> | undefined> {
  const raw = options.rawField ?? [];
  const typed = options.field ?? [];
  if (raw.length === 0 && typed.length === 0) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(raw, '-f'))) fields[key] = value;
  for (const pair of typed) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`-F: "${pair}" is not key=value`);
    fields[pair.slice(0, at)] = await typedValue(pair.slice(at + 1));
  }
  return fields;
}

/**
 * `ringcentral api [METHOD] PATH`, like `gh api`: one request (its JSON printed pretty, or raw
 * bytes), or with --paginate every page's records (NDJSON, or one array with --slurp).
 */
export async function api(
  ctx: CommandContext,
  first: string,
  second: string | undefined,
  options: ApiOptions,
): Promise<ExportResult | unknown> {
  const [methodText, rawPath] = second === undefined ? [options.method, first] : [first, second];
  if (second !== undefined && options.method !== undefined) throw new UsageError('give the method once: as an argument or with -X');
  const fields = await fieldsOf(options);
  // As gh: GET, or POST when a body or fields are given (fields of a GET, e.g. with -X GET or --paginate, are its query).
  const implied = options.paginate || (options.input === undefined && fields === undefined) ? 'GET' : 'POST';
  const method = (methodText ?? implied).toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`unknown method "${methodText}"`, `use one of ${METHODS.join(', ')}`);
  const path = apiPath(rawPath);
  // Fields are the query of a GET, the JSON body of anything else.
  const query = { ...parseQuery(options.query), ...(method === 'GET' ? (fields as Record<string, string> | undefined) : {}) };
  if (options.paginate && method !== 'GET') throw new UsageError('--paginate only works with GET');
  if (options.slurp && !options.paginate) throw new UsageError('--slurp goes with --paginate');
  if (options.input !== undefined && fields !== undefined) throw new UsageError('--input and -f/-F both give the body: choose one');
  const sendsBody = options.input !== undefined || (fields !== undefined && method !== 'GET');
  if (sendsBody && (method === 'GET' || method === 'DELETE')) throw new UsageError(`--input: ${method} requests have no body`);
  const headers = parseHeaders(options.header ?? []);
  const body = options.input !== undefined ? await readBody(options.input, ctx.io.stdin) : sendsBody ? fields : undefined;
  if (options.paginate) {
    return runExport(
      exportDeps(ctx),
      {
        catalog: { all: [], defaults: [], table: [] },
        pipedFormat: 'ndjson',
        pages: (client) => followPages<Record<string, unknown>>(client, path, query),
      },
      {
        format: options.slurp ? 'json' : 'ndjson',
        progress: false,
        maxWait: options.maxWait,
        ...(options.jq !== undefined ? { jq: options.jq } : {}),
        ...(options.output !== undefined ? { output: options.output } : {}),
      },
    );
  }
  const jq = options.jq === undefined ? undefined : await createJq(options.jq);
  const budget = new WaitBudget(options.maxWait * 1000);
  const { session } = await openSession(ctx, { budget });
  const client = new ApiClient(session, {
    budget,
    logger: ctx.logger,
    env: ctx.io.env,
    ...(options.timeout ? { requestTimeoutMs: options.timeout * 1000 } : {}),
  });
  const response = await client.exchange<unknown>(method, path, { query, body, raw: true, headers });
  const result = response.body;
  const head = options.include ? statusAndHeaders(response.status, response.headers) : '';
  if (result === undefined) {
    if (head) ctx.io.stdout.write(head);
    return result;
  }
  // JSON pretty-printed (or through --jq); anything else (a recording, a fax, text) as the bytes that came.
  const json = Buffer.isBuffer(result) ? undefined : `${JSON.stringify(result, null, 2)}\n`;
  const data = json === undefined ? (result as Buffer) : jq ? await jq.run(json) : json;
  const sink = options.output ? await outputSink(options.output, ctx.io.stdout) : stdoutSink(ctx.io.stdout);
  try {
    if (head) await sink.write(head);
    await sink.write(data);
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  return result;
}

/** `-i`: `HTTP 200`, then each header, then a blank line (as gh prints them). */
function statusAndHeaders(status: number, headers: Headers): string {
  let text = `HTTP ${status}\n`;
  headers.forEach((value, name) => {
    text += `${name}: ${value}\n`;
  });
  return `${text}\n`;
}
