import { type AppCredentials, type Platform, platformFor, sendOnce } from '../api/platform.js';
import type { Logger } from '../output/logger.js';
import type { StoredSession } from './token-store.js';

/**
 * POST /restapi/oauth/revoke (RFC 7009): ends the whole session. Any of the session's tokens will
 * do; the refresh token works even after the access token has expired.
 */
export async function revokeToken(platform: Platform, token: string, client: AppCredentials): Promise<void> {
  const confidential = Boolean(client.clientSecret);
  await sendOnce(platform, {
    method: 'POST',
    url: '/restapi/oauth/revoke',
    body: confidential ? { token } : { token, client_id: client.clientId },
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(confidential ? { Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` } : {}),
    },
    skipAuthCheck: true,
  });
}

/**
 * Revokes a saved session with the app it was signed in with (a platform of its own unless one is
 * given): by its refresh token, which outlives the access token, or its access token without one.
 */
export async function revokeSession(stored: StoredSession, logger: Logger, platform?: Platform): Promise<void> {
  const token = stored.tokens.refresh_token || stored.tokens.access_token;
  await revokeToken(platform ?? (await platformFor(stored, logger)), token, stored);
}
