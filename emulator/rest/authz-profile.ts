import type { Extension } from '../data/dataset.js';
import { checkAccount, Query, resolveExtension } from './query.js';
import type { RestRequest } from './routes.js';

/**
 * GET .../extension/{extensionId}/authz-profile (Medium) and .../authz-profile/check (Light): the
 * user permissions of an extension, as `readAuthorizationProfile` and `checkUserPermission`
 * return them. Only the permissions the CLI asks about are modelled.
 */

function permissionsOf(ext: Extension): string[] {
  return [
    'ReadExtensions',
    'ReadCallLog',
    ...(ext.admin ? ['Users', 'EditExtensions'] : []),
    ...(ext.fullCompanyCallLog ? ['FullCompanyCallLog'] : []),
  ];
}

function activePermission(origin: string, id: string, ext: Extension) {
  return {
    permission: { id, uri: `${origin}/restapi/v1.0/dictionary/permission/${id}` },
    effectiveRole: { id: ext.admin ? '1' : '3', uri: `${origin}/restapi/v1.0/dictionary/user-role/${ext.admin ? '1' : '3'}` },
    scopes: [id === 'FullCompanyCallLog' || id === 'Users' ? 'Account' : 'Self'],
  };
}

export function readAuthzProfile({ ctx, session, params, origin, accountId, extensionId = '~', pathname }: RestRequest): unknown {
  new Query(params, ['targetExtensionId']).one('targetExtensionId');
  checkAccount(ctx, accountId);
  const ext = resolveExtension(ctx, session, extensionId);
  return { uri: `${origin}${pathname}`, permissions: permissionsOf(ext).map((id) => activePermission(origin, id, ext)) };
}

export function checkPermission({ ctx, session, params, origin, accountId, extensionId = '~', pathname }: RestRequest): unknown {
  const query = new Query(params, ['permissionId', 'targetExtensionId']);
  const permissionId = query.one('permissionId') ?? '';
  query.one('targetExtensionId');
  checkAccount(ctx, accountId);
  const ext = resolveExtension(ctx, session, extensionId);
  const successful = permissionsOf(ext).includes(permissionId);
  return {
    uri: `${origin}${pathname}?${params}`,
    successful,
    ...(successful ? { details: activePermission(origin, permissionId, ext) } : {}),
  };
}
