import type { Platform } from '../api/platform.js';

/**
 * POST /restapi/oauth/revoke (RFC 7009): ends the whole session. Any of the session's tokens will
 * do; the refresh token works even after the access token has expired.
 */
export async function revokeToken(
  platform: Platform,
  token: string,
  client: { clientId: string; clientSecret?: string | undefined },
): Promise<void> {
  const confidential = Boolean(client.clientSecret);
  await platform.send({
    method: 'POST',
    url: '/restapi/oauth/revoke',
    body: confidential ? { token } : { token, client_id: client.clientId },
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(confidential ? { Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` } : {}),
    },
    skipAuthCheck: true,
    retry: true,
  });
}
