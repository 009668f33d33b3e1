import type { TokenSet } from './token-store.js';

/** Conversion between our TokenSet and the SDK's auth data (which keeps lifetimes as strings). */

type SdkAuthData = Record<string, unknown>;

export function toSdkData(tokens: TokenSet): SdkAuthData {
  return { ...tokens, expires_in: String(tokens.expires_in), refresh_token_expires_in: String(tokens.refresh_token_expires_in) };
}

/** Our TokenSet from the SDK's auth data; a refresh that omits a refresh token keeps the old one. */
export function fromSdkData(data: SdkAuthData, previous?: TokenSet): TokenSet {
  const text = (key: string) => (typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined);
  const number = (value: unknown) => (Number.isFinite(Number(value)) ? Number(value) : 0);
  const refreshToken = text('refresh_token') ?? previous?.refresh_token ?? '';
  // No refresh token (the app's "Issue refresh tokens" is off): none, and no end date for it.
  const refreshable = refreshToken !== '';
  return {
    access_token: text('access_token') ?? '',
    token_type: text('token_type') ?? 'bearer',
    expires_in: number(data.expires_in),
    expire_time: number(data.expire_time),
    refresh_token: refreshToken,
    refresh_token_expires_in: refreshable ? number(data.refresh_token_expires_in || previous?.refresh_token_expires_in) : 0,
    refresh_token_expire_time: refreshable ? number(data.refresh_token_expire_time || previous?.refresh_token_expire_time) : 0,
    scope: text('scope') ?? '',
    ...(text('owner_id') ? { owner_id: text('owner_id') } : {}),
    ...(text('endpoint_id') ? { endpoint_id: text('endpoint_id') } : {}),
    ...(text('session_id') ? { session_id: text('session_id') } : {}),
  };
}
