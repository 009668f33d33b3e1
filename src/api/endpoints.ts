import type { ApiClient } from './client.js';

/** The REST paths the CLI uses, and the requests more than one command makes. */

export const PATHS = {
  me: '/restapi/v1.0/account/~/extension/~',
  extensions: '/restapi/v1.0/account/~/extension',
  accountCallLog: '/restapi/v1.0/account/~/call-log',
  extensionCallLog: '/restapi/v1.0/account/~/extension/~/call-log',
  accountCallLogExtractSync: '/restapi/v1.0/account/~/call-log-extract-sync',
} as const;

/** The signed-in extension, as `GET /account/~/extension/~` returns it (the fields we read). */
export interface Me {
  id: number | string;
  extensionNumber?: string;
  name?: string;
  account?: { id?: string | number };
  permissions?: { admin?: { enabled?: boolean } };
}

/** "Who am I": one light request, also the cheapest way to check that a session works. */
export function readMe(client: ApiClient): Promise<Me> {
  return client.get<Me>(PATHS.me);
}
