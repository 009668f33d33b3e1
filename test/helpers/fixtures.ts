import { APP } from '../../emulator/client.js';
import type { StoredSession } from '../../src/auth/token-store.js';

/** A stored session for tests that write token files directly. */
export function storedSession(
  overrides: { accessToken?: string; refreshToken?: string; server?: string; refreshExpires?: number; scope?: string } = {},
): StoredSession {
  return {
    version: 1,
    server: overrides.server ?? 'http://127.0.0.1:9',
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: 'http://localhost:5000/oauth2callback',
    grant: 'jwt',
    tokens: {
      access_token: overrides.accessToken ?? 'U1BCaccess',
      token_type: 'bearer',
      expire_time: Date.now() + 3_600_000,
      expires_in: 3600,
      refresh_token: overrides.refreshToken ?? 'U1BCrefresh',
      refresh_token_expire_time: overrides.refreshExpires ?? Date.now() + 604_800_000,
      refresh_token_expires_in: 604800,
      scope: overrides.scope ?? 'ReadAccounts ReadCallLog',
    },
    user: { accountId: '1', extensionId: '2', extensionNumber: '101', name: 'Alex Morgan' },
    savedAt: new Date().toISOString(),
  };
}
