import { createPlatform, type Platform, readFailure, toCliError } from '../api/platform.js';
import type { Settings } from '../config.js';
import { AuthError, UsageError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import type { StoredSession, TokenSet, TokenStore } from './token-store.js';

/**
 * A signed-in session: load → refresh (proactively, under the profile lock) → save.
 * RingCentral refresh tokens are single use, so a refresh is only ever sent by the process that
 * holds the lock and has re-read the store after taking it.
 */

/** Refresh this long before the access token expires (the SDK's handicap is the same). */
export const REFRESH_SKEW_MS = 60_000;

export interface SessionDeps {
  settings: Settings;
  store: TokenStore;
  logger: Logger;
  now?: () => number;
}

export interface RequestOptions {
  query?: Record<string, unknown>;
  method?: string;
  body?: unknown;
}

export class Session {
  private readonly now: () => number;
  /** The token set the SDK currently holds (set again only when it changes). */
  private sdkTokens: TokenSet | undefined;

  private constructor(
    private readonly deps: SessionDeps,
    private current: StoredSession,
    readonly platform: Platform,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Opens the profile's saved session; exit 4 when there is none or it can no longer be refreshed. */
  static async open(deps: SessionDeps): Promise<Session> {
    const stored = deps.store.read();
    if (!stored) throw new AuthError(`not signed in (profile "${deps.settings.profile}")`);
    checkServer(deps.settings, stored);
    const platform = await createPlatform({
      server: stored.server,
      clientId: stored.clientId,
      clientSecret: stored.clientSecret,
      redirectUri: stored.redirectUri,
      logger: deps.logger,
    });
    const session = new Session(deps, stored, platform);
    session.checkRefreshExpiry(stored);
    return session;
  }

  get stored(): StoredSession {
    return this.current;
  }

  /** A valid access token, refreshed first when it expires within a minute. */
  async accessToken(): Promise<string> {
    if (this.current.tokens.expire_time - this.now() <= REFRESH_SKEW_MS) await this.refresh(this.current.tokens.access_token);
    return this.current.tokens.access_token;
  }

  /**
   * Refreshes under the lock. `staleToken` is the access token the caller found wanting: if the
   * store already holds another valid one, another process refreshed first and we adopt it.
   */
  async refresh(staleToken: string): Promise<void> {
    await this.deps.store.withLock(async () => {
      let latest = this.readOrFail();
      if (this.adoptIfFresh(latest, staleToken)) return;
      this.checkRefreshExpiry(latest);
      let tokens = await this.exchangeRefreshToken(latest.tokens);
      if (tokens === 'invalid_grant') {
        // Lost a race with a process that did not hold our lock: re-read once and retry.
        const reread = this.readOrFail();
        if (reread.tokens.refresh_token === latest.tokens.refresh_token) throw sessionRevoked();
        if (this.adoptIfFresh(reread, staleToken)) return;
        latest = reread;
        tokens = await this.exchangeRefreshToken(latest.tokens);
        if (tokens === 'invalid_grant') throw sessionRevoked();
      }
      this.current = { ...latest, tokens, savedAt: new Date(this.now()).toISOString() };
      this.deps.store.write(this.current);
    });
  }

  private readOrFail(): StoredSession {
    const latest = this.deps.store.read();
    if (!latest) throw new AuthError('signed out by another ringcentral command');
    return latest;
  }

  private adoptIfFresh(latest: StoredSession, staleToken: string): boolean {
    if (latest.tokens.access_token === staleToken || latest.tokens.expire_time - this.now() <= REFRESH_SKEW_MS) return false;
    this.current = latest;
    return true;
  }

  private async exchangeRefreshToken(tokens: TokenSet): Promise<TokenSet | 'invalid_grant'> {
    this.deps.logger.debug('refreshing the access token');
    await this.platform.auth().setData(toSdkData(tokens));
    this.sdkTokens = undefined;
    try {
      await this.platform.refresh();
    } catch (error) {
      if ((await readFailure(error)).error === 'invalid_grant') return 'invalid_grant';
      throw await toCliError(error, this.current.server);
    }
    return fromSdkData({ ...(await this.platform.auth().data()) }, tokens);
  }

  private checkRefreshExpiry(stored: StoredSession): void {
    if (stored.tokens.refresh_token_expire_time <= this.now()) {
      throw new AuthError(
        `session expired on ${new Date(stored.tokens.refresh_token_expire_time).toISOString()}`,
        'run "ringcentral login" to sign in again',
      );
    }
  }

  /** GET with the session's token, mapped to a CliError on failure. */
  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return (await this.fetch<T>(path, options)).body;
    } catch (error) {
      throw await toCliError(error, this.current.server);
    }
  }

  /**
   * GET returning body and headers; a 401 triggers at most one refresh and one retry. Other
   * failures are rethrown as they came (callers decide what is worth retrying).
   */
  async fetch<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const token = await this.accessToken();
    try {
      return await this.send<T>(path, options);
    } catch (error) {
      if ((await readFailure(error)).status !== 401) throw error;
      await this.refresh(token);
      return await this.send<T>(path, options);
    }
  }

  private async send<T>(path: string, options: RequestOptions): Promise<ApiResponse<T>> {
    if (this.sdkTokens !== this.current.tokens) {
      await this.platform.auth().setData(toSdkData(this.current.tokens));
      this.sdkTokens = this.current.tokens;
    }
    const response = await this.platform.send({
      method: options.method ?? 'GET',
      url: path,
      query: options.query,
      body: options.body,
      retry: true,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Kept on disk, not wiped: `login` replaces it, and the user may want to look first. */
function sessionRevoked(): AuthError {
  return new AuthError('the session was revoked or has expired at RingCentral', 'run "ringcentral login" to sign in again');
}

/** Tokens belong to one server: a flag or variable naming another one is refused, never followed. */
function checkServer(settings: Settings, stored: StoredSession): void {
  if (settings.server.source !== 'default' && settings.server.source !== 'profile' && settings.server.value !== stored.server) {
    throw new UsageError(
      `profile "${settings.profile}" is signed in to ${stored.server}, not ${settings.server.value} (from ${settings.server.source})`,
      'use another --profile for the other server, or run "ringcentral login" again',
    );
  }
}

type SdkAuthData = Record<string, unknown>;

export function toSdkData(tokens: TokenSet): SdkAuthData {
  return { ...tokens, expires_in: String(tokens.expires_in), refresh_token_expires_in: String(tokens.refresh_token_expires_in) };
}

/** Our TokenSet from the SDK's auth data; a refresh that omits a refresh token keeps the old one. */
export function fromSdkData(data: SdkAuthData, previous?: TokenSet): TokenSet {
  const text = (key: string) => (typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined);
  const refreshToken = text('refresh_token') ?? previous?.refresh_token ?? '';
  return {
    access_token: text('access_token') ?? '',
    token_type: text('token_type') ?? 'bearer',
    expires_in: Number(data.expires_in),
    expire_time: Number(data.expire_time),
    refresh_token: refreshToken,
    refresh_token_expires_in: Number(data.refresh_token_expires_in ?? previous?.refresh_token_expires_in),
    refresh_token_expire_time: Number(data.refresh_token_expire_time ?? previous?.refresh_token_expire_time),
    scope: text('scope') ?? '',
    ...(text('owner_id') ? { owner_id: text('owner_id') } : {}),
    ...(text('endpoint_id') ? { endpoint_id: text('endpoint_id') } : {}),
    ...(text('session_id') ? { session_id: text('session_id') } : {}),
  };
}
