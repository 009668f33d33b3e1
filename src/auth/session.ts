import { readFailure, toCliError } from '../api/errors.js';
import { type Platform, platformFor } from '../api/platform.js';
import { WaitBudget } from '../api/retry.js';
import { callTokenEndpoint } from '../api/token-endpoint.js';
import type { TokenSource } from '../api/transport.js';
import type { Settings } from '../config/settings.js';
import { AuthError, CliError, UsageError } from '../errors.js';
import { revokeToken } from './revoke.js';
import { fromSdkData, toSdkData } from './sdk-tokens.js';
import { type AuthDeps, hasRefreshToken, type StoredSession, sessionEnd, type TokenSet } from './token-store.js';

/**
 * A signed-in session: load → refresh (proactively, under the profile lock) → save. It hands out
 * access tokens (a TokenSource for api/); it sends no requests of its own but the token calls.
 * RingCentral refresh tokens are single use, so a refresh is only ever sent by the process that
 * holds the lock and has re-read the store after taking it. Without refresh tokens (the app's
 * default), a JWT session signs in again with its JWT when the access token ends; a browser
 * session simply ends.
 */

/** Refresh this long before the access token expires (the SDK's handicap is the same). */
export const REFRESH_SKEW_MS = 60_000;

/** Default --max-wait for token-endpoint trouble when a command has no budget of its own. */
const DEFAULT_BUDGET_MS = 300_000;

export class Session implements TokenSource {
  private readonly now: () => number;
  private readonly budget: WaitBudget;
  /** Built on the first token call: a valid token needs no SDK at all. */
  private platform: Platform | undefined;

  private constructor(
    private readonly deps: AuthDeps,
    private current: StoredSession,
  ) {
    this.now = deps.now ?? Date.now;
    this.budget = deps.budget ?? new WaitBudget(DEFAULT_BUDGET_MS);
  }

  /** Opens the profile's saved session; exit 4 when there is none or it can no longer be used. */
  static open(deps: AuthDeps): Session {
    const stored = deps.store.read();
    if (!stored) throw new AuthError(`not signed in (profile "${deps.settings.profile}")`);
    checkServer(deps.settings, stored);
    const session = new Session(deps, stored);
    session.checkUsable(stored);
    return session;
  }

  get stored(): StoredSession {
    return this.current;
  }

  /** Beside the session's file: its processes share one rate-limit budget there. */
  get pacingFile(): string {
    return `${this.deps.store.path}.pacing`;
  }

  get server(): string {
    return this.current.server;
  }

  /** The app permissions the token was granted (space-separated, as the token endpoint says them). */
  get scope(): string {
    return this.current.tokens.scope;
  }

  /** A valid access token, refreshed (or signed in again) first when it expires within a minute. */
  async accessToken(): Promise<string> {
    const { tokens } = this.current;
    if (tokens.expire_time - this.now() <= REFRESH_SKEW_MS && this.canRenew(this.current)) await this.refresh(tokens.access_token);
    else if (tokens.expire_time <= this.now()) throw sessionEnded(this.current);
    return this.current.tokens.access_token;
  }

  /**
   * Renews under the lock. `staleToken` is the access token the caller found wanting: if the
   * store already holds another valid one, another process renewed first and we adopt it.
   */
  async refresh(staleToken: string): Promise<void> {
    await this.deps.store.withLock(async () => {
      const latest = this.readOrFail();
      if (this.adoptIfFresh(latest, staleToken)) return;
      this.checkUsable(latest);
      const reserve = this.deps.store.reserveSpace();
      try {
        this.current = hasRefreshToken(latest.tokens) ? await this.refreshUnderLock(latest, staleToken) : await this.signInAgain(latest);
      } finally {
        reserve.release();
      }
      await this.save(this.current);
    });
  }

  /**
   * Saves renewed tokens. The old refresh token is spent, so a save that fails still leaves this
   * command its new tokens (in memory), and says what the next one will need.
   */
  private async save(session: StoredSession): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.write(session);
        return;
      } catch (error) {
        if (attempt < 3) continue;
        const code = error instanceof CliError ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
        this.deps.logger.warn(
          `could not save the renewed session in ${this.deps.store.path} (${code}): this command goes on, but the saved one is spent; ` +
            'free some space, then run "ringcentral login" again',
        );
        return;
      }
    }
  }

  private async refreshUnderLock(latest: StoredSession, staleToken: string): Promise<StoredSession> {
    let tokens = await this.exchangeRefreshToken(latest);
    if (tokens !== 'invalid_grant') return this.renewed(latest, tokens);
    // Lost a race with a process that did not hold our lock: re-read once and retry.
    const reread = this.readOrFail();
    if (reread.tokens.refresh_token === latest.tokens.refresh_token) throw sessionRevoked();
    if (this.adoptIfFresh(reread, staleToken)) return this.current;
    tokens = await this.exchangeRefreshToken(reread);
    if (tokens === 'invalid_grant') throw sessionRevoked();
    return this.renewed(reread, tokens);
  }

  private renewed(stored: StoredSession, tokens: TokenSet): StoredSession {
    return { ...stored, tokens, savedAt: new Date(this.now()).toISOString() };
  }

  /** No refresh tokens: the JWT buys a new session, and the old one (an hour old) is ended. */
  private async signInAgain(stored: StoredSession): Promise<StoredSession> {
    const jwt = stored.jwt;
    if (jwt === undefined) throw sessionEnded(stored);
    this.deps.logger.debug('the access token ends and the app issues no refresh tokens: signing in again with the JWT');
    const platform = await this.platformFor(stored);
    try {
      await callTokenEndpoint('signing in again', () => platform.login({ jwt }), this.retryOptions());
    } catch (error) {
      const failure = await readFailure(error);
      if (failure.error)
        throw new AuthError(`RingCentral refused the saved JWT: ${failure.message}`, 'run "ringcentral login --jwt" again');
      throw await toCliError(error, stored.server);
    }
    const tokens = fromSdkData({ ...(await platform.auth().data()) });
    await revokeToken(platform, stored.tokens.access_token, stored).catch(() => undefined);
    return this.renewed(stored, tokens);
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
    const platform = await this.platformFor(stored);
    await platform.auth().setData(toSdkData(stored.tokens));
    try {
      await callTokenEndpoint('refreshing the session', () => platform.refresh(), this.retryOptions());
    } catch (error) {
      const failure = await readFailure(error);
      if (failure.error === 'invalid_grant') return 'invalid_grant';
      throw await toCliError(error, stored.server);
    }
    return fromSdkData({ ...(await platform.auth().data()) }, stored.tokens);
  }

  private async platformFor(stored: StoredSession): Promise<Platform> {
    this.platform ??= await platformFor(stored, this.deps.logger);
    return this.platform;
  }

  private retryOptions() {
    return { budget: this.budget, logger: this.deps.logger, ...(this.deps.signal ? { signal: this.deps.signal } : {}) };
  }

  private canRenew(stored: StoredSession): boolean {
    return hasRefreshToken(stored.tokens) || stored.jwt !== undefined;
  }

  private checkUsable(stored: StoredSession): void {
    if (hasRefreshToken(stored.tokens)) {
      if (stored.tokens.refresh_token_expire_time <= this.now()) {
        throw new AuthError(
          `session expired on ${new Date(stored.tokens.refresh_token_expire_time).toISOString()}`,
          'run "ringcentral login" to sign in again',
        );
      }
      return;
    }
    if (stored.jwt === undefined && sessionEnd(stored.tokens) <= this.now()) throw sessionEnded(stored);
  }
}

export const NO_REFRESH_HINT =
  'turn on "Issue refresh tokens" in the app\'s settings (RingCentral Developer Console), then run "ringcentral login" again; ' +
  '"ringcentral login --jwt" signs in again by itself';

/** A session without a refresh token has ended with its access token. */
function sessionEnded(stored: StoredSession): AuthError {
  return new AuthError(
    `the session ended at ${new Date(stored.tokens.expire_time).toISOString()}: the app does not issue refresh tokens, so a sign-in lasts one access token (about an hour)`,
    NO_REFRESH_HINT,
  );
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
