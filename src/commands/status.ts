import { ApiClient } from '../api/client.js';
import { readMe } from '../api/endpoints.js';
import { WaitBudget } from '../api/retry.js';
import type { TokenSource } from '../api/transport.js';
import { usesEnvJwt } from '../auth/open-session.js';
import { NO_REFRESH_HINT } from '../auth/session.js';
import { hasRefreshToken, type StoredSession, sessionEnd, sessionUsable } from '../auth/token-store.js';
import { AuthError } from '../errors.js';
import { printable } from '../output/printable.js';
import { type CommandContext, openSession, writeJson } from './context.js';

/**
 * `ringcentral status`: the saved session, checked against RingCentral (one light request,
 * refreshing first if needed) unless --offline. Never starts a browser.
 */

export interface Status {
  loggedIn: boolean;
  profile: string;
  server?: string;
  accountId?: string;
  extensionId?: string;
  extensionNumber?: string;
  name?: string;
  scope?: string;
  accessTokenExpiresAt?: string;
  /** When the session ends unless renewed: the refresh token's end, or the access token's without one. */
  refreshTokenExpiresAt?: string;
  /** Whether the app issues refresh tokens (false: the session lasts one access token, or a JWT signs in again). */
  refreshable?: boolean;
  expired?: boolean;
  tokenFile: string;
  source?: 'login' | 'jwt' | 'env';
  /** Whether RingCentral accepted the session just now (absent with --offline). */
  verified?: boolean;
}

export async function collectStatus(ctx: CommandContext, options: { offline: boolean }, now = Date.now()): Promise<Status> {
  if (usesEnvJwt(ctx.settings)) return envStatus(ctx, options);
  let stored = ctx.store.read();
  const base = { profile: ctx.settings.profile, tokenFile: ctx.store.path };
  if (!stored) return { loggedIn: false, ...base };
  if (!sessionUsable(stored, now)) return { ...describe(stored, base), loggedIn: false, expired: true };
  if (options.offline) return describe(stored, base);
  try {
    const { session } = await openSession(ctx);
    await check(ctx, session);
    stored = session.stored;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    ctx.logger.warn(`could not check the session with RingCentral: ${(error as Error).message}`);
    return { ...describe(stored, base), verified: false };
  }
  return { ...describe(stored, base), verified: true };
}

/** RC_JWT in the environment: the cached session for it (signing in first if needed). */
async function envStatus(ctx: CommandContext, options: { offline: boolean }): Promise<Status> {
  const { session, store } = await openSession(ctx);
  if (!options.offline) await check(ctx, session);
  const status = describe(session.stored, { profile: ctx.settings.profile, tokenFile: store.path });
  return { ...status, source: 'env', ...(options.offline ? {} : { verified: true }) };
}

/** One light request, refreshing first if needed; a single attempt, since status should answer quickly. */
async function check(ctx: CommandContext, session: TokenSource): Promise<void> {
  await readMe(new ApiClient(session, { budget: new WaitBudget(0), maxAttempts: 1, logger: ctx.logger, env: ctx.io.env }));
}

function describe(stored: StoredSession, base: { profile: string; tokenFile: string }): Status {
  return {
    loggedIn: true,
    ...base,
    server: stored.server,
    accountId: stored.user.accountId,
    extensionId: stored.user.extensionId,
    extensionNumber: stored.user.extensionNumber,
    name: stored.user.name,
    scope: stored.tokens.scope,
    accessTokenExpiresAt: new Date(stored.tokens.expire_time).toISOString(),
    refreshTokenExpiresAt: new Date(sessionEnd(stored.tokens)).toISOString(),
    refreshable: hasRefreshToken(stored.tokens),
    source: stored.grant === 'jwt' ? 'jwt' : 'login',
  };
}

export function formatStatus(status: Status, json: boolean): string {
  if (json) return `${JSON.stringify(status.loggedIn || status.expired ? status : { loggedIn: false }, null, 2)}\n`;
  if (!status.server) return '';
  const rows: [string, string | undefined][] = [
    ['Signed in', status.loggedIn ? 'yes' : `no (session expired on ${status.refreshTokenExpiresAt})`],
    ['Profile', status.profile],
    ['Server', status.server],
    ['Account', status.accountId],
    ['Extension', `${status.extensionNumber} (${status.name}, id ${status.extensionId})`],
    ['Access token expires', status.accessTokenExpiresAt],
    [
      'Session expires',
      status.refreshable === false
        ? `${status.refreshTokenExpiresAt} (the app issues no refresh tokens${status.source === 'login' ? '' : '; the JWT signs in again'})`
        : status.refreshTokenExpiresAt,
    ],
    ['Permissions', status.scope],
    ['Credentials', status.source === 'env' ? 'RC_JWT from the environment' : status.source === 'jwt' ? 'JWT' : 'browser login'],
    ['Checked with server', status.verified === undefined ? 'no (--offline)' : status.verified ? 'yes' : 'no (unreachable)'],
    ['Stored in', status.tokenFile],
  ];
  return `${rows.map(([label, value]) => `${`${label}:`.padEnd(22)}${printable(value ?? '')}`).join('\n')}\n`;
}

export interface StatusOptions {
  json?: boolean;
  /** --jq EXPR over the JSON. */
  jq?: string;
  offline?: boolean;
}

/** Prints the status; not signed in (or expired) is exit 4, after printing what is known. */
export async function status(ctx: CommandContext, options: StatusOptions): Promise<Status> {
  const found = await collectStatus(ctx, { offline: options.offline ?? false });
  await writeJson(ctx, formatStatus(found, options.json === true || options.jq !== undefined), options.jq);
  if (!found.loggedIn) {
    if (found.expired && found.refreshable === false) {
      throw new AuthError(`the session ended at ${found.refreshTokenExpiresAt}: the app does not issue refresh tokens`, NO_REFRESH_HINT);
    }
    throw new AuthError(found.expired ? `session expired on ${found.refreshTokenExpiresAt}` : `not signed in (profile "${found.profile}")`);
  }
  return found;
}
