import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { mix, mulberry32 } from '../data/random.js';
import { apiError, HttpError } from '../http.js';
import type { Session } from '../oauth/sessions.js';
import { admit } from './admit.js';
import { findMessage, mailboxOwner } from './message-store.js';

/**
 * The media entry point (readCallRecordingContent: "must be called via media API entry point"):
 * its own origin, bearer auth as the API's, app permission ReadCallRecording, Heavy group,
 * `--faults` applied. Content is deterministic audio-like bytes (a few KB to a few MB, seeded by
 * the recording id), `audio/mpeg` or `audio/wav`, with `Content-Length` and single `Range` requests.
 */

const CONTENT = /^\/restapi\/v1\.0\/account\/([^/]+)\/recording\/(\d+)\/content$/;
const MESSAGE_CONTENT = /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/message-store\/([^/]+)\/content\/([^/]+)$/;

export interface RecordingContent {
  bytes: Buffer;
  contentType: 'audio/mpeg' | 'audio/wav';
}

/** The bytes of a recording: a pure function of the seed and its id. */
export function recordingContent(seed: number, recordingId: string, fixedBytes?: number): RecordingContent {
  const rng = mulberry32(mix(seed, 0x5ec, Number(recordingId) % 2_147_483_647));
  const drawn = Math.floor(4096 + rng() ** 3 * 3_000_000);
  const size = fixedBytes ?? drawn;
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE(Math.floor(rng() * 0x1_0000_0000) >>> 0, Math.min(i, size - 4));
  return { bytes, contentType: recordingContentType(recordingId) };
}

/** A recording's Content-Type (without making its bytes). */
export function recordingContentType(recordingId: string): RecordingContent['contentType'] {
  return Number(recordingId) % 2 === 0 ? 'audio/mpeg' : 'audio/wav';
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What a media path serves: its group, the app permission it needs, and (once allowed) the content. */
interface MediaResource {
  group: 'heavy' | 'medium';
  permission: string;
  content(session: Session): RecordingContent | { bytes: Buffer; contentType: string };
}

/** readCallRecordingContent (Heavy, ReadCallRecording) and readMessageContent (Medium, ReadMessages: the spec's groups). */
function mediaResource(ctx: Context, pathname: string): MediaResource {
  const recording = CONTENT.exec(pathname);
  if (recording) {
    const [, accountId = '', recordingId = ''] = recording;
    return {
      group: 'heavy',
      permission: 'ReadCallRecording',
      content: () => {
        if (accountId !== '~' && accountId !== String(ctx.dataset.accountId)) {
          throw apiError(404, 'CMN-102', 'Resource for parameter [accountId] is not found');
        }
        if (ctx.calls.recordingOwner(recordingId, ctx.now()) === undefined) {
          throw apiError(404, 'CMN-102', 'Resource for parameter [recordingId] is not found');
        }
        return recordingContent(ctx.options.seed, recordingId, ctx.options.recordingBytes);
      },
    };
  }
  const attachment = MESSAGE_CONTENT.exec(pathname);
  if (!attachment) throw apiError(404, 'CMN-120', 'Invalid URI');
  const [, accountId = '', extensionId = '', messageId = '', attachmentId = ''] = attachment;
  return {
    group: 'medium',
    permission: 'ReadMessages',
    content: (session) => {
      const owner = mailboxOwner(ctx, session, accountId, extensionId);
      const message = findMessage(ctx, owner.index, messageId);
      const content = ctx.messages.content(message, attachmentId);
      if (!content) throw apiError(404, 'CMN-102', 'Resource for parameter [attachmentId] is not found');
      return content;
    },
  };
}

/** GET {media}/restapi/v1.0/account/{accountId}/recording/{recordingId}/content, and message attachments' content. */
export async function handleMedia(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://media');
  const resource = mediaResource(ctx, url.pathname);
  if (req.method !== 'GET') throw apiError(405, 'CMN-105', `Method ${req.method} is not allowed`);
  ctx.stats.requests += 1;
  const { session, decision } = admit(ctx, req, resource.permission, resource.group);
  const { bytes, contentType } = resource.content(session);
  const fault = ctx.faults.draw();
  if (fault !== undefined) ctx.stats.faults += 1;
  if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
  if (typeof fault === 'number') {
    const error = apiError(fault, 'CMN-201', 'Service Temporary Unavailable');
    throw new HttpError(fault, error.body, { ...decision.headers, ...(fault === 503 ? { 'Retry-After': '1' } : {}) });
  }
  const range = parseRange(req.headers.range, bytes.length);
  if (range === 'invalid') {
    res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}`, 'Content-Length': 0, ...decision.headers });
    res.end();
    return;
  }
  const [start, end] = range ?? [0, bytes.length - 1];
  const body = bytes.subarray(start, end + 1);
  res.writeHead(range ? 206 : 200, {
    'Content-Type': contentType,
    'Content-Length': body.length,
    'Accept-Ranges': 'bytes',
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${bytes.length}` } : {}),
    ...decision.headers,
  });
  if (range) ctx.stats.media.partial += 1;
  else ctx.stats.media.whole += 1;
  if (fault === 'reset') {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  const bandwidth = ctx.options.mediaBandwidth;
  if (bandwidth === undefined) {
    res.end(body);
    return;
  }
  // A slow link: a tenth of a second's worth at a time.
  const slice = Math.max(1, Math.floor(bandwidth / 10));
  for (let at = 0; at < body.length; at += slice) {
    if (res.destroyed) return;
    res.write(body.subarray(at, at + slice));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  res.end();
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined without one. */
function parseRange(header: string | undefined, size: number): [number, number] | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  const [, from = '', to = ''] = match;
  const [start, end] =
    from === '' ? [Math.max(0, size - Number(to)), size - 1] : [Number(from), to === '' ? size - 1 : Math.min(Number(to), size - 1)];
  return start > end || start >= size ? 'invalid' : [start, end];
}
