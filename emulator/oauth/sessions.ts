import { randomBytes } from 'node:crypto';
import { apiError, type HttpError } from '../http.js';

/** OAuth sessions, access tokens and single-use refresh tokens (docs/authentication/refresh-tokens.md). */

export interface Session {
  id: string;
  clientId: string;
  extensionIndex: number;
  endpointId: string;
  scope: string;
  revoked: boolean;
  refreshExpiresAt: number;
}

interface TokenEntry {
  session: Session;
  expiresAt: number;
}

export interface TokenTtls {
  access: number;
  refresh: number;
}

/** RingCentral clamps requested TTLs (access 600..3600 s, refresh up to 30 days); ours cap them further. */
export function effectiveTtls(configured: TokenTtls, requested: { access?: string | null; refresh?: string | null }): TokenTtls {
  const access = requested.access ? Math.min(Math.max(Number.parseInt(requested.access, 10) || 3600, 600), 3600) : 3600;
  const refresh = requested.refresh ? Math.min(Math.max(Number.parseInt(requested.refresh, 10) || 604800, 1), 2_592_000) : 604800;
  return { access: Math.min(access, configured.access), refresh: Math.min(refresh, configured.refresh) };
}

const newToken = (): string => `U1BC${randomBytes(36).toString('base64url')}`;

export class SessionStore {
  private readonly sessions = new Set<Session>();
  private readonly accessTokens = new Map<string, TokenEntry>();
  private readonly refreshTokens = new Map<string, TokenEntry>();
  private sessionCounter = 0;

  create(clientId: string, extensionIndex: number, scope: string): Session {
    this.sessionCounter += 1;
    const session: Session = {
      id: String(7_000_000_000_000 + this.sessionCounter),
      clientId,
      extensionIndex,
      endpointId: randomBytes(16).toString('base64url'),
      scope,
      revoked: false,
      refreshExpiresAt: 0,
    };
    this.sessions.add(session);
    return session;
  }

  /** Issues a fresh access + refresh token pair for the session; returns the spec's TokenInfo. */
  issue(session: Session, ownerId: string, ttls: TokenTtls, now: number): Record<string, unknown> {
    const accessToken = newToken();
    const refreshToken = newToken();
    session.refreshExpiresAt = now + ttls.refresh * 1000;
    this.accessTokens.set(accessToken, { session, expiresAt: now + ttls.access * 1000 });
    this.refreshTokens.set(refreshToken, { session, expiresAt: session.refreshExpiresAt });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ttls.access,
      refresh_token: refreshToken,
      refresh_token_expires_in: ttls.refresh,
      scope: session.scope,
      owner_id: ownerId,
      endpoint_id: session.endpointId,
      session_id: session.id,
    };
  }

  /**
   * Consumes a refresh token (single use). The old access tokens of the session die with it,
   * as the refresh-token guide says the previous access token is invalidated immediately.
   */
  consumeRefreshToken(token: string, clientId: string, now: number): { session: Session } | { error: 'unknown' | 'expired' | 'client' } {
    const entry = this.refreshTokens.get(token);
    if (!entry || entry.session.revoked) return { error: 'unknown' };
    if (entry.session.clientId !== clientId) return { error: 'client' };
    this.refreshTokens.delete(token);
    if (entry.expiresAt <= now) return { error: 'expired' };
    this.dropAccessTokens(entry.session);
    return { session: entry.session };
  }

  /** The session behind a bearer token, or the 401 RingCentral answers with. */
  authenticate(authorization: string | undefined, now: number): Session | HttpError {
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!authorization) return apiError(401, 'OAU-123', 'Invalid Authorization header value: none', {}, 'InvalidAuthorizationHeader');
    if (!match?.[1]) return apiError(401, 'OAU-134', 'Invalid Authorization header.', {}, 'InvalidAuthorizationHeader');
    const token = match[1];
    if (!/^U1BC[\w-]{40,}$/.test(token)) return apiError(401, 'OAU-149', 'Unparsable access token', {}, 'TokenInvalid');
    const entry = this.accessTokens.get(token);
    if (!entry || entry.session.revoked) return apiError(401, 'OAU-213', 'Token not found', {}, 'TokenInvalid');
    if (entry.expiresAt <= now) return apiError(401, 'OAU-128', 'Access token expired', {}, 'TokenExpired');
    return entry.session;
  }

  /** RFC 7009: any of the session's tokens ends the whole session. Returns whether one ended. */
  revoke(token: string, clientId: string): boolean {
    const entry = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
    if (!entry || entry.session.revoked || entry.session.clientId !== clientId) return false;
    this.end(entry.session);
    return true;
  }

  end(session: Session): void {
    session.revoked = true;
    this.dropAccessTokens(session);
    for (const [token, entry] of this.refreshTokens) if (entry.session === session) this.refreshTokens.delete(token);
  }

  /** Every access token issued so far counts as expired from now on. */
  expireAccessTokens(now: number): number {
    for (const entry of this.accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
    return this.accessTokens.size;
  }

  activeCount(now: number): number {
    let count = 0;
    for (const session of this.sessions) if (!session.revoked && session.refreshExpiresAt > now) count += 1;
    return count;
  }

  private dropAccessTokens(session: Session): void {
    for (const [token, entry] of this.accessTokens) if (entry.session === session) this.accessTokens.delete(token);
  }
}
