import type { ServerResponse } from 'node:http';
import type { Context } from './context.js';
import { apiError, sendJson } from './http.js';
import { numberParam } from './internal-calls.js';
import { sha256 } from './rest/media.js';

/**
 * /__emulator/ control of the message store: add messages created now (`POST /__emulator/messages
 * ?count=N&extensionNumber=101`), and the ground truth (`GET /__emulator/messages`: every message
 * of every mailbox, newest first, NDJSON, each attachment with its bytes and sha256).
 */

/** Handles the route if it is one of these; false if it is not. */
export async function handleMessageControl(ctx: Context, route: string, url: URL, res: ServerResponse, origin: string): Promise<boolean> {
  if (route === 'POST /__emulator/messages') {
    const count = numberParam(url, 'count', 1, 1, 100_000);
    const number = url.searchParams.get('extensionNumber');
    const extension = number === null ? undefined : ctx.dataset.extensions.find((ext) => ext.extensionNumber === number);
    if (number !== null && !extension) throw apiError(400, 'CMN-101', 'Parameter [extensionNumber] value is invalid.');
    const ids = ctx.messages.add(count, ctx.now(), extension?.index).map(String);
    sendJson(res, 200, { ids });
    return true;
  }
  if (route === 'GET /__emulator/messages') {
    await streamMessages(ctx, res, origin);
    return true;
  }
  return false;
}

async function streamMessages(ctx: Context, res: ServerResponse, origin: string): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  const messages = Array.from({ length: ctx.messages.count }, (_, serial) => ctx.messages.message(serial));
  messages.sort((a, b) => b.time - a.time || b.serial - a.serial);
  for (const message of messages) {
    const record = ctx.messages.render(message, origin);
    const attachments = (record.attachments as { id: number }[]).map((attachment) => {
      const content = ctx.messages.content(message, String(attachment.id));
      return { ...attachment, bytes: content?.bytes.length, sha256: content ? sha256(content.bytes) : undefined };
    });
    if (!res.write(`${JSON.stringify({ ...record, attachments })}\n`)) await new Promise((resolve) => res.once('drain', resolve));
    if (res.destroyed) return;
  }
  res.end();
}
