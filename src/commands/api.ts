import { readFile } from 'node:fs/promises';
import { ApiClient } from '../api/client.js';
import { followPages } from '../api/paging.js';
import { openSession } from '../auth/open-session.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { type ExportResult, runExport } from './export.js';

/** `ringcentral api METHOD PATH`: a raw escape hatch, with the same auth, pacing, retries and exit codes. */

export interface ApiOptions {
  query: string[];
  paginate?: boolean;
  input?: string;
  maxWait: number;
  stdin?: NodeJS.ReadableStream;
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
  let text = '';
  if (input === '-') for await (const chunk of stdin) text += String(chunk);
  else {
    try {
      text = await readFile(input, 'utf8');
    } catch (error) {
      throw new UsageError(`--input: cannot read "${input}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--input: ${input === '-' ? 'standard input' : input} is not JSON`);
  }
}

export async function api(
  ctx: CommandContext,
  methodText: string,
  path: string,
  options: ApiOptions,
  write: (text: string) => void,
): Promise<void | ExportResult> {
  const method = methodText.toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`unknown method "${methodText}"`, `use one of ${METHODS.join(', ')}`);
  if (!path.startsWith('/')) throw new UsageError(`path "${path}" must start with / (e.g. /restapi/v1.0/account/~)`);
  const query = parseQuery(options.query);
  if (options.paginate && method !== 'GET') throw new UsageError('--paginate only works with GET');
  if (options.input !== undefined && (method === 'GET' || method === 'DELETE'))
    throw new UsageError(`--input: ${method} requests have no body`);
  const body = options.input === undefined ? undefined : await readBody(options.input, options.stdin ?? process.stdin);
  if (options.paginate) {
    return runExport(
      ctx,
      {
        catalog: { all: [], defaults: [], table: [] },
        pipedFormat: 'ndjson',
        pages: (client) => followPages<Record<string, unknown>>(client, path, query),
      },
      { format: 'ndjson', progress: false, maxWait: options.maxWait },
    );
  }
  const { session } = await openSession(ctx);
  const result = await new ApiClient(session, { maxWaitMs: options.maxWait * 1000 }).request<unknown>(method, path, query, body);
  if (result !== undefined) write(`${JSON.stringify(result, null, 2)}\n`);
}
