import type { Context } from '../context.js';
import type { MessageData } from '../data/messages.js';
import { apiError, invalidParameter } from '../http.js';
import type { Session } from '../oauth/sessions.js';
import { canonicalAccountPath, checkAccount, listPage, Query, resolveExtension } from './query.js';
import type { RestRequest } from './routes.js';

/** listMessages and readMessage (Light, ReadMessages): one extension's mailbox, newest first. */

const LIST_PARAMS = [
  'availability',
  'conversationId',
  'dateFrom',
  'dateTo',
  'direction',
  'messageType',
  'readStatus',
  'page',
  'perPage',
  'phoneNumber',
] as const;
const TYPES = ['Fax', 'SMS', 'VoiceMail', 'Pager', 'Text'] as const;
const DAY_MS = 86_400_000;

/**
 * Whose mailbox a request reads: the user's own, or (admins only) another extension's; a
 * non-admin asking for someone else's is 403, as for the call log.
 */
export function mailboxOwner(ctx: Context, session: Session, accountId: string, extensionId: string) {
  checkAccount(ctx, accountId);
  const owner = resolveExtension(ctx, session, extensionId);
  const me = ctx.dataset.extensions[session.extensionIndex];
  if (owner.index !== session.extensionIndex && !me?.admin) {
    throw apiError(403, 'CMN-404', 'Attempt to access another extension', {}, 'InsufficientPermissions');
  }
  return owner;
}

/** GET .../extension/{extensionId}/message-store: dateFrom defaults to 24 h before dateTo (now); nextPage until the end. */
export function listMessages({ ctx, session, params, origin, accountId, extensionId }: RestRequest): unknown {
  const query = new Query(params, LIST_PARAMS);
  const owner = mailboxOwner(ctx, session, accountId, extensionId ?? '~');
  const dateTo = query.date('dateTo') ?? ctx.now();
  const dateFrom = query.date('dateFrom') ?? dateTo - DAY_MS;
  if (dateFrom > dateTo) throw invalidParameter('dateFrom', params.get('dateFrom') ?? '');
  const types = query.manyOf('messageType', TYPES);
  const directions = query.manyOf('direction', ['Inbound', 'Outbound'] as const);
  const readStatus = query.manyOf('readStatus', ['Read', 'Unread'] as const);
  const availability = query.manyOf('availability', ['Alive', 'Deleted', 'Purged'] as const);
  const conversationId = query.one('conversationId');
  const phoneNumber = query.one('phoneNumber')?.replace(/^\+/, '');
  const page = query.integer('page', 1, 1);
  const perPage = query.perPage(100);
  const matches = (m: MessageData, record: () => Record<string, unknown>) =>
    m.extension.index === owner.index &&
    m.time >= dateFrom &&
    m.time < dateTo &&
    (types.length === 0 || types.includes(m.type)) &&
    (directions.length === 0 || directions.includes(m.direction)) &&
    (readStatus.length === 0 || readStatus.includes(m.readStatus)) &&
    (availability.length === 0 || availability.includes('Alive')) &&
    (phoneNumber === undefined || m.party.phoneNumber?.replace(/^\+/, '') === phoneNumber) &&
    (conversationId === undefined || String(record().conversationId) === conversationId);
  const found: MessageData[] = [];
  for (let serial = ctx.messages.count - 1; serial >= 0; serial--) {
    const message = ctx.messages.message(serial);
    if (matches(message, () => ctx.messages.render(message, origin))) found.push(message);
  }
  found.sort((a, b) => b.time - a.time || b.serial - a.serial);
  const start = (page - 1) * perPage;
  const records = found.slice(start, start + perPage).map((message) => ctx.messages.render(message, origin));
  const canonical = new URLSearchParams(params);
  canonical.set('dateFrom', new Date(dateFrom).toISOString());
  if (params.has('dateTo')) canonical.set('dateTo', new Date(dateTo).toISOString());
  const path = `${canonicalAccountPath(ctx)}/extension/${owner.id}/message-store`;
  return listPage(origin, path, canonical, page, perPage, records, start + perPage < found.length);
}

/** GET .../extension/{extensionId}/message-store/{messageId} */
export function readMessage({ ctx, session, params, origin, accountId, extensionId, pathname }: RestRequest): unknown {
  new Query(params, []);
  const owner = mailboxOwner(ctx, session, accountId, extensionId ?? '~');
  const message = findMessage(ctx, owner.index, pathname.split('/').at(-1) ?? '');
  return ctx.messages.render(message, origin);
}

/** A message of this mailbox by id, or 404. */
export function findMessage(ctx: Context, ownerIndex: number, messageId: string): MessageData {
  const serial = ctx.messages.serialOf(messageId);
  const message = serial === undefined ? undefined : ctx.messages.message(serial);
  if (!message || message.extension.index !== ownerIndex || message.time > ctx.now()) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [messageId] is not found', { parameterName: 'messageId' });
  }
  return message;
}
