import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './context.js';
import { apiError, sendJson } from './http.js';
import { recordingContent, sha256 } from './rest/media.js';

/**
 * /__emulator/ control of the call lifecycle: add calls (running or finished), finish, modify or
 * delete them, move the emulator's clock, and read the ground truth.
 */

const CALL_ROUTE = /^(POST|DELETE) \/__emulator\/calls\/([^/]+)(\/finish|\/modify)?$/;

/** Handles the route if it is one of these; false if it is not. */
export async function handleCallControl(
  ctx: Context,
  route: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
): Promise<boolean> {
  if (route === 'POST /__emulator/calls') {
    const count = numberParam(url, 'count', 1, 1, 100_000);
    const startedAgo = numberParam(url, 'startedAgo', 0, 0, 30 * 86_400);
    const duration = numberParam(url, 'duration', 60, 0, 30 * 86_400);
    const serials = ctx.calls.add(count, ctx.now(), startedAgo * 1000, duration * 1000);
    const ids = serials.map((serial) => String(ctx.dataset.renderCall(serial, 'Simple', origin, 'account').id));
    sendJson(res, 200, { ids, callCount: ctx.dataset.callCount });
    return true;
  }
  if (route === 'POST /__emulator/advance') {
    const seconds = numberParam(url, 'seconds', 0, 0, 365 * 86_400);
    ctx.clockOffset += seconds * 1000;
    sendJson(res, 200, { now: new Date(ctx.now()).toISOString() });
    return true;
  }
  if (route === 'GET /__emulator/call-log') {
    await streamCallLog(ctx, url, req, res, origin);
    return true;
  }
  if (route === 'GET /__emulator/recordings') {
    await streamRecordings(ctx, res, origin);
    return true;
  }
  const match = CALL_ROUTE.exec(route);
  if (!match) return false;
  const [, method, id = '', action] = match;
  const serial = ctx.dataset.serialOfId(decodeURIComponent(id));
  if (serial === undefined) throw apiError(404, 'CMN-102', 'Resource for parameter [callRecordId] is not found');
  const now = ctx.now();
  if (method === 'DELETE' && !action) ctx.calls.delete(serial, now);
  else if (method === 'POST' && action === '/finish') ctx.calls.finish(serial, now);
  else if (method === 'POST' && action === '/modify') ctx.calls.modify(serial, now);
  else throw apiError(404, 'CMN-120', 'Invalid URI');
  sendJson(res, 200, ctx.calls.render(serial, 'Detailed', origin, 'account', now));
  return true;
}

export function numberParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw apiError(400, 'CMN-101', `Parameter [${name}] value is invalid.`, { parameterName: name });
  }
  return value;
}

/**
 * Ground truth as NDJSON, newest first (account scope; Simple view unless ?view=Detailed): every
 * record the API lists now, or with ?final=1 only final records (never `In Progress`); deleted
 * records only with ?deleted=1 (flagged `deleted: true`).
 */
async function streamCallLog(ctx: Context, url: URL, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const view = url.searchParams.get('view') === 'Detailed' ? 'Detailed' : 'Simple';
  const finalOnly = url.searchParams.get('final') === '1';
  const withDeleted = url.searchParams.get('deleted') === '1';
  const now = ctx.now();
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  const total = ctx.dataset.callCount;
  for (let position = 0; position < total; position += 500) {
    let chunk = '';
    for (let p = position; p < Math.min(position + 500, total); p++) {
      const serial = ctx.dataset.serialAt(p);
      const version = ctx.calls.versionAt(serial, now);
      if (version.state === 'hidden' || (finalOnly && version.state !== 'final') || (version.deleted && !withDeleted)) continue;
      chunk += `${JSON.stringify(ctx.calls.render(serial, view, origin, 'account', now))}\n`;
    }
    if (chunk && !res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    if (res.destroyed || req.destroyed) return;
  }
  res.end();
}

/** Ground truth of the recordings the API lists now (final, undeleted calls), newest call first: NDJSON with each content's sha256. */
async function streamRecordings(ctx: Context, res: ServerResponse, origin: string): Promise<void> {
  const now = ctx.now();
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  for (let position = 0; position < ctx.dataset.callCount; position++) {
    const serial = ctx.dataset.serialAt(position);
    const version = ctx.calls.versionAt(serial, now);
    if (version.state !== 'final' || version.deleted) continue;
    if (!ctx.calls.render(serial, 'Simple', origin, 'account', now).recording) continue;
    // The Detailed view: a leg may carry a recording of its own.
    const record = ctx.calls.render(serial, 'Detailed', origin, 'account', now);
    const legs = (record.legs ?? []) as { recording?: { id: string; contentUri: string } }[];
    const recordings = new Map<string, { id: string; contentUri: string }>();
    for (const recording of [record.recording as { id: string; contentUri: string }, ...legs.map((leg) => leg.recording)]) {
      if (recording) recordings.set(recording.id, recording);
    }
    for (const recording of recordings.values()) {
      const { bytes, contentType } = recordingContent(ctx.options.seed, recording.id, ctx.options.recordingBytes);
      const line = {
        callId: record.id,
        recordingId: recording.id,
        contentUri: recording.contentUri,
        contentType,
        bytes: bytes.length,
        sha256: sha256(bytes),
      };
      if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => res.once('drain', resolve));
      if (res.destroyed) return;
    }
  }
  res.end();
}
