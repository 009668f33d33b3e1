import type { IncomingMessage, ServerResponse } from 'node:http';

/** Error bodies in RingCentral's shape: a top-level errorCode/message plus the spec's `errors[]`. */
export interface ApiErrorItem {
  errorCode: string;
  message: string;
  parameterName?: string;
  parameterValue?: string;
  [extra: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/** A REST API error: `{errorCode, message, errors: [{errorCode, message, ...}]}`. */
export function apiError(
  status: number,
  errorCode: string,
  message: string,
  item: Partial<ApiErrorItem> = {},
  topCode = errorCode,
): HttpError {
  return new HttpError(status, { errorCode: topCode, message, errors: [{ errorCode, message, ...item }] });
}

export function invalidParameter(name: string, value?: string): HttpError {
  return apiError(400, 'CMN-101', `Parameter [${name}] value is invalid.`, {
    parameterName: name,
    ...(value === undefined ? {} : { parameterValue: value }),
  });
}

/** An OAuth endpoint error (spec `OauthInvalidRequest`): `{error, error_description, errors: [...]}`. */
export function oauthError(
  error: string,
  errorCode: string,
  description: string,
  status = 400,
  item: Partial<ApiErrorItem> = {},
): HttpError {
  return new HttpError(status, { error, error_description: description, errors: [{ errorCode, message: description, ...item }] });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

const MAX_BODY = 1 << 20;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw apiError(413, 'CMN-104', 'Cannot parse request');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a form body; a repeated key is OAU-111 "Request parameter duplication detected". */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const text = await readBody(req);
  if (type !== 'application/x-www-form-urlencoded' && !(type === '' && text === '')) {
    throw new HttpError(415, {
      error: 'invalid_request',
      error_description: 'Unsupported Media Type',
      errors: [{ errorCode: 'CMN-104', message: 'Cannot parse request' }],
    });
  }
  const form = new URLSearchParams(text);
  const seen = new Set<string>();
  for (const key of form.keys()) {
    if (seen.has(key)) {
      throw oauthError('invalid_request', 'OAU-111', 'Request parameter duplication detected', 400, { parameterName: key });
    }
    seen.add(key);
  }
  return form;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
