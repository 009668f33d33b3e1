import type { Context } from '../context.js';
import type { Extension } from '../data/dataset.js';
import { invalidParameter } from '../http.js';
import { regionalSettings } from './account.js';
import { canonicalAccountPath, checkAccount, pageUri, Query, resolveExtension } from './query.js';
import type { RestRequest } from './routes.js';

function extensionSummary(ctx: Context, ext: Extension, origin: string): Record<string, unknown> {
  const uri = `${origin}/restapi/v1.0/account/${ctx.dataset.accountId}/extension/${ext.id}`;
  const contact =
    ext.type === 'User'
      ? {
          firstName: ext.firstName,
          lastName: ext.lastName,
          name: ext.name,
          company: ctx.dataset.companyName,
          email: ext.email,
          businessPhone: ext.directNumber,
          emailAsLoginName: true,
        }
      : { firstName: ext.name, name: ext.name, company: ctx.dataset.companyName };
  return {
    uri,
    id: ext.id,
    extensionNumber: ext.extensionNumber,
    contact,
    name: ext.name,
    type: ext.type,
    status: ext.status,
    permissions: { admin: { enabled: ext.admin }, internationalCalling: { enabled: ext.type === 'User' } },
    profileImage: { uri: `${uri}/profile-image` },
    hidden: false,
    creationTime: ext.creationTime,
  };
}

const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'] as const;
const EXTENSION_TYPES = [
  'User',
  'Department',
  'Announcement',
  'Voicemail',
  'DigitalUser',
  'VirtualUser',
  'FaxUser',
  'PagingOnly',
  'SharedLinesGroup',
  'DelegatedLinesGroup',
  'GroupCallPickup',
  'IvrMenu',
  'ApplicationExtension',
  'ProxyAdmin',
  'RoomConnector',
  'ParkLocation',
  'Limited',
  'Bot',
  'Site',
  'Room',
  'FlexibleUser',
  'TieLine',
  'Unknown',
] as const;

/** GET /restapi/v1.0/account/{accountId}/extension (Medium): filtered, paged, with totals. */
export function listExtensions({ ctx, params, origin, accountId }: RestRequest): unknown {
  const query = new Query(params, ['extensionNumber', 'email', 'page', 'perPage', 'status', 'type']);
  checkAccount(ctx, accountId);
  const statuses: string[] = query.manyOf('status', EXTENSION_STATUSES);
  const types: string[] = query.manyOf('type', EXTENSION_TYPES);
  const emails = query.many('email').map((email) => email.toLowerCase());
  const number = query.one('extensionNumber');
  if (number !== undefined && !/^\d{1,8}$/.test(number)) throw invalidParameter('extensionNumber', number);
  const page = query.integer('page', 1, 1);
  const perPage = query.perPage(100);
  const matching = ctx.dataset.extensions.filter(
    (ext) =>
      (statuses.length === 0 || statuses.includes(ext.status)) &&
      (types.length === 0 || types.includes(ext.type)) &&
      (number === undefined || ext.extensionNumber === number) &&
      (emails.length === 0 || emails.includes(ext.email ?? '')),
  );
  const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
  const start = (page - 1) * perPage;
  const records = matching.slice(start, start + perPage).map((ext) => extensionSummary(ctx, ext, origin));
  const link = (n: number) => pageUri(origin, `${canonicalAccountPath(ctx)}/extension`, params, n, perPage);
  return {
    uri: link(page).uri,
    records,
    paging: {
      page,
      totalPages,
      perPage,
      totalElements: matching.length,
      ...(records.length > 0 ? { pageStart: start, pageEnd: start + records.length - 1 } : {}),
    },
    navigation: {
      firstPage: link(1),
      ...(page < totalPages ? { nextPage: link(page + 1) } : {}),
      ...(page > 1 ? { previousPage: link(Math.min(page - 1, totalPages)) } : {}),
      lastPage: link(totalPages),
    },
  };
}

/** GET /restapi/v1.0/account/{accountId}/extension/{extensionId} (Light); `~` is the caller. */
export function readExtension({ ctx, session, params, origin, accountId, extensionId = '~' }: RestRequest): unknown {
  new Query(params, []);
  checkAccount(ctx, accountId);
  const ext = resolveExtension(ctx, session, extensionId);
  const own = ext.index === session.extensionIndex;
  return {
    ...extensionSummary(ctx, ext, origin),
    account: { id: String(ctx.dataset.accountId), uri: `${origin}/restapi/v1.0/account/${ctx.dataset.accountId}` },
    regionalSettings: regionalSettings(origin),
    setupWizardState: 'Completed',
    ...(own
      ? {
          serviceFeatures: [
            { featureName: 'VoipCalling', enabled: true },
            { featureName: 'Voicemail', enabled: true },
            { featureName: 'Fax', enabled: true },
            { featureName: 'InternationalCalling', enabled: true },
          ],
        }
      : {}),
  };
}
