import type { Context } from '../context.js';
import type { Session } from '../oauth/sessions.js';
import type { RateGroup } from '../options.js';
import { readAccount } from './account.js';
import { checkPermission, readAuthzProfile } from './authz-profile.js';
import { readCallLog } from './call-log.js';
import { extractSyncCallLog, syncCallLog } from './call-log-sync.js';
import { listExtensions, readExtension } from './extensions.js';
import { listMessages, readMessage } from './message-store.js';
import { readCallRecording } from './recordings.js';

/** The REST endpoints the CLI uses, with the spec's parameters, groups and shapes: one file per resource. */

/** One authenticated REST request, as every resource handler gets it. */
export interface RestRequest {
  ctx: Context;
  session: Session;
  params: URLSearchParams;
  /** e.g. http://127.0.0.1:8080, for the URIs in responses */
  origin: string;
  pathname: string;
  accountId: string;
  extensionId: string | undefined;
}

export interface RestRoute {
  group: RateGroup;
  /** The app permission the endpoint needs (the spec's x-app-permission). */
  permission: string;
  run(request: RestRequest): unknown;
}

const ACCOUNT =
  /^\/restapi\/v1\.0\/account\/([^/]+)(?:\/extension(?:\/([^/]+))?)?(\/call-log|\/call-log-sync|\/call-log-extract-sync|\/authz-profile(?:\/check)?|\/message-store(?:\/[^/]+)?|\/recording\/[^/]+)?$/;

export interface MatchedRoute {
  route: RestRoute;
  accountId: string;
  extensionId: string | undefined;
}

export function matchRestRoute(pathname: string): MatchedRoute | undefined {
  const match = ACCOUNT.exec(pathname);
  if (!match) return undefined;
  const [, accountId = '', extensionId, resource] = match;
  const hasExtensionSegment = pathname.includes('/extension');
  const matched = (route: RestRoute) => ({ route, accountId, extensionId });
  if (resource && hasExtensionSegment && !extensionId) return undefined;
  if (resource?.startsWith('/recording/')) {
    return hasExtensionSegment ? undefined : matched({ group: 'heavy', permission: 'ReadCallRecording', run: readCallRecording });
  }
  if (resource?.startsWith('/message-store')) {
    if (!extensionId) return undefined;
    return matched({ group: 'light', permission: 'ReadMessages', run: resource === '/message-store' ? listMessages : readMessage });
  }
  if (resource === '/call-log') return matched({ group: 'heavy', permission: 'ReadCallLog', run: readCallLog });
  if (resource === '/call-log-sync') return matched({ group: 'heavy', permission: 'ReadCallLog', run: syncCallLog });
  if (resource === '/call-log-extract-sync') {
    return hasExtensionSegment ? undefined : matched({ group: 'heavy', permission: 'ReadCallLog', run: extractSyncCallLog });
  }
  if (resource === '/authz-profile')
    return extensionId ? matched({ group: 'medium', permission: 'ReadAccounts', run: readAuthzProfile }) : undefined;
  if (resource === '/authz-profile/check')
    return extensionId ? matched({ group: 'light', permission: 'ReadAccounts', run: checkPermission }) : undefined;
  if (!hasExtensionSegment) return matched({ group: 'light', permission: 'ReadAccounts', run: readAccount });
  if (!extensionId) return matched({ group: 'medium', permission: 'ReadAccounts', run: listExtensions });
  return matched({ group: 'light', permission: 'ReadAccounts', run: readExtension });
}
