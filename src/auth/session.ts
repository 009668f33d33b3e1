import { readFailure, toCliError } from '../api/errors.js';
import { type Platform, platformFor } from '../api/platform.js';
import type { TokenSource } from '../api/transport.js';
import type { Settings } from '../config/settings.js';
import { AuthError, UsageError } from '../errors.js';
import { fromSdkData, toSdkData } from './sdk-tokens.js';
import type { AuthDeps, StoredSession, TokenSet } from './token-store.js';

/**
 * A signed-in session: load → refresh (proactively, under the profile lock) → save. It hands out
 * access tokens (a TokenSource for api/); it sends no requests of its own but the refresh.
 * RingCentral refresh tokens are single use, so a refresh is only ever sent by the process that
 * holds the lock and has re-read the store after taking it.
 */

/** Refresh this long before the access token expires (the SDK's handicap is the same). */
export const REFRESH_SKEW_MS = 60_000;

export class Session implements TokenSource {
  private readonly now: () => number;
  /** Built on the first refresh: a valid token needs no SDK at all. */
  private platform: Platform | undefined;

  private constructor(
    private readonly deps: AuthDeps,
    private current: StoredSession,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Opens the profile's saved session; exit 4 when there is none or it can no longer be refreshed. */
  static open(deps: AuthDeps): Session {
    const stored = deps.store.read();
    if (!stored) throw new AuthError(`not signed in (profile "${deps.settings.profile}")`);
    checkServer(deps.settings, stored);
    const session = new Session(deps, stored);
    session.checkRefreshExpiry(stored);
    return session;
  }

  get stored(): StoredSession {
    return this.current;
  }

  get server(): string {
    return this.current.server;
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
      let tokens = await this.exchangeRefreshToken(latest);
      if (tokens === 'invalid_grant') {
        // Lost a race with a process that did not hold our lock: re-read once and retry.
        const reread = this.readOrFail();
        if (reread.tokens.refresh_token === latest.tokens.refresh_token) throw sessionRevoked();
        if (this.adoptIfFresh(reread, staleToken)) return;
        latest = reread;
        tokens = await this.exchangeRefreshToken(latest);
        if (tokens === 'invalid_grant') throw sessionRevoked();
      }
      this.current = { ...latest, tokens, savedAt: new Date(this.now()).toISOString() };
      await this.deps.store.write(this.current);
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

  private async exchangeRefreshToken(stored: StoredSession): Promise<TokenSet | 'invalid_grant'> {
    this.deps.logger.debug('refreshing the access token');
    this.platform ??= await platformFor(stored, this.deps.logger);
    await this.platform.auth().setData(toSdkData(stored.tokens));
    try {
      await this.platform.refresh();
    } catch (error) {
      if ((await readFailure(error)).error === 'invalid_grant') return 'invalid_grant';
      throw await toCliError(error, stored.server);
    }
    return fromSdkData({ ...(await this.platform.auth().data()) }, stored.tokens);
  }

  private checkRefreshExpiry(stored: StoredSession): void {
    if (stored.tokens.refresh_token_expire_time <= this.now()) {
      throw new AuthError(
        `session expired on ${new Date(stored.tokens.refresh_token_expire_time).toISOString()}`,
        'run "ringcentral login" to sign in again',
      );
    }
  }
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
