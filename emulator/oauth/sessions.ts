import { randomBytes } from 'node:crypto';
import { apiError, type HttpError } from '../http.js';

/**
 * OAuth sessions, access tokens and single-use refresh tokens (docs/authentication/refresh-tokens.md),
 * with the platform's cap of live sessions per user and app (docs/authentication/tokens.md).
 */

export interface Session {
  id: string;
  clientId: string;
  extensionIndex: number;
  endpointId: string;
  scope: string;
  revoked: boolean;
  /** Until when the session can still be used: its refresh token's end, or its access token's without one. */
  liveUntil: number;
  createdAt: number;
}

/** How the app and the platform treat sessions (the emulator's options). */
export interface SessionPolicy {
  refreshTokens: boolean;
  sessionLimit: number;
  refreshGraceSeconds: number;
}

/** A spent refresh token, remembered for the grace window: a repeat returns the same pair. */
interface Spent {
  session: Session;
  spentAt: number;
  body: Record<string, unknown>;
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
  private readonly spent = new Map<string, Spent>();
  private sessionCounter = 0;
  /** Sessions ended because their user and app went over the limit. */
  endedByLimit = 0;

  constructor(private readonly policy: SessionPolicy) {}

  /** A new session; past the limit of live sessions for this user and app, the oldest ends. */
  create(clientId: string, extensionIndex: number, scope: string, now: number): Session {
    this.sessionCounter += 1;
    const session: Session = {
      id: String(7_000_000_000_000 + this.sessionCounter),
      clientId,
      extensionIndex,
      endpointId: randomBytes(16).toString('base64url'),
      scope,
      revoked: false,
      liveUntil: now,
      createdAt: now,
    };
    const live = [...this.sessions].filter(
      (s) => !s.revoked && s.liveUntil > now && s.clientId === clientId && s.extensionIndex === extensionIndex,
    );
    for (const oldest of live.slice(0, Math.max(0, live.length - this.policy.sessionLimit + 1))) {
      this.end(oldest);
      this.endedByLimit += 1;
    }
    this.sessions.add(session);
    return session;
  }

  /**
   * Issues a fresh access token (and refresh token, when the app gets them) for the session;
   * returns the spec's TokenInfo. Lifetimes are reported a second short, as the platform does.
   */
  issue(session: Session, ownerId: string, ttls: TokenTtls, now: number): Record<string, unknown> {
    const accessToken = newToken();
    const accessEnd = now + ttls.access * 1000;
    this.accessTokens.set(accessToken, { session, expiresAt: accessEnd });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ttls.access - 1,
      scope: session.scope,
      owner_id: ownerId,
      endpoint_id: session.endpointId,
      session_id: session.id,
    };
    if (!this.policy.refreshTokens) {
      session.liveUntil = accessEnd;
      return body;
    }
    const refreshToken = newToken();
    session.liveUntil = now + ttls.refresh * 1000;
    this.refreshTokens.set(refreshToken, { session, expiresAt: session.liveUntil });
    return { ...body, refresh_token: refreshToken, refresh_token_expires_in: ttls.refresh - 1 };
  }

  /**
   * Consumes a refresh token (single use). The old access tokens of the session die with it,
   * as the refresh-token guide says the previous access token is invalidated immediately. Within
   * the grace window a repeat returns the pair the first use bought (`replay`).
   */
  consumeRefreshToken(
    token: string,
    clientId: string,
    now: number,
  ): { session: Session } | { replay: Record<string, unknown> } | { error: 'unknown' | 'expired' | 'client' } {
    const spent = this.spent.get(token);
    if (
      spent &&
      !spent.session.revoked &&
      spent.session.clientId === clientId &&
      now - spent.spentAt < this.policy.refreshGraceSeconds * 1000
    ) {
      return { replay: spent.body };
    }
    const entry = this.refreshTokens.get(token);
    if (!entry || entry.session.revoked) return { error: 'unknown' };
    if (entry.session.clientId !== clientId) return { error: 'client' };
    this.refreshTokens.delete(token);
    if (entry.expiresAt <= now) return { error: 'expired' };
    this.dropAccessTokens(entry.session);
    return { session: entry.session };
  }

  /** Remembers what a refresh token bought, for the grace window. */
  rememberSpent(token: string, session: Session, body: Record<string, unknown>, now: number): void {
    if (this.policy.refreshGraceSeconds > 0) this.spent.set(token, { session, spentAt: now, body });
  }

  /** The session behind a bearer token, or the 401 RingCentral answers with. */
  authenticate(authorization: string | undefined, now: number): Session | HttpError {
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!authorization) return apiError(401, 'OAU-123', 'Invalid Authorization header value: none', {}, 'InvalidAuthorizationHeader');
    // The API gateway answers a header it cannot read before RingCentral's auth does.
    if (!match?.[1]) {
      const error = apiError(401, 'AGW-402', 'Invalid Authorization header', {}, 'InvalidAuthorizationHeader');
      error.headers['WWW-Authenticate'] = 'Bearer realm="RingCentral REST API"';
      return error;
    }
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
    for (const session of this.sessions) if (!session.revoked && session.liveUntil > now) count += 1;
    return count;
  }

  private dropAccessTokens(session: Session): void {
    for (const [token, entry] of this.accessTokens) if (entry.session === session) this.accessTokens.delete(token);
  }
}
