import { usesEnvJwt } from '../auth/jwt-login.js';
import { openSession } from '../auth/open-session.js';
import type { StoredSession } from '../auth/token-store.js';
import type { CommandContext } from '../context.js';
import { AuthError, CliError, ExitCode } from '../errors.js';

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
  refreshTokenExpiresAt?: string;
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
  if (stored.tokens.refresh_token_expire_time <= now) return { ...describe(stored, base), loggedIn: false, expired: true };
  if (options.offline) return describe(stored, base);
  try {
    const { session } = await openSession(ctx);
    await session.get('/restapi/v1.0/account/~/extension/~');
    stored = session.stored;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.auth) throw error;
    ctx.logger.warn(`could not check the session with RingCentral: ${(error as Error).message}`);
    return { ...describe(stored, base), verified: false };
  }
  return { ...describe(stored, base), verified: true };
}

/** RC_JWT in the environment: the cached session for it (signing in first if needed). */
async function envStatus(ctx: CommandContext, options: { offline: boolean }): Promise<Status> {
  const { session, store } = await openSession(ctx);
  if (!options.offline) await session.get('/restapi/v1.0/account/~/extension/~');
  const status = describe(session.stored, { profile: ctx.settings.profile, tokenFile: store.path });
  return { ...status, source: 'env', ...(options.offline ? {} : { verified: true }) };
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
    refreshTokenExpiresAt: new Date(stored.tokens.refresh_token_expire_time).toISOString(),
    source: stored.grant === 'jwt' ? 'jwt' : 'login',
  };
}

export function printStatus(status: Status, json: boolean, write: (text: string) => void): void {
  if (json) {
    write(`${JSON.stringify(status.loggedIn || status.expired ? status : { loggedIn: false }, null, 2)}\n`);
  } else if (status.server) {
    const rows: [string, string | undefined][] = [
      ['Signed in', status.loggedIn ? 'yes' : `no (session expired on ${status.refreshTokenExpiresAt})`],
      ['Profile', status.profile],
      ['Server', status.server],
      ['Account', status.accountId],
      ['Extension', `${status.extensionNumber} (${status.name}, id ${status.extensionId})`],
      ['Access token expires', status.accessTokenExpiresAt],
      ['Session expires', status.refreshTokenExpiresAt],
      ['Permissions', status.scope],
      ['Credentials', status.source === 'env' ? 'RC_JWT from the environment' : status.source === 'jwt' ? 'JWT' : 'browser login'],
      ['Checked with server', status.verified === undefined ? 'no (--offline)' : status.verified ? 'yes' : 'no (unreachable)'],
      ['Stored in', status.tokenFile],
    ];
    write(`${rows.map(([label, value]) => `${`${label}:`.padEnd(22)}${value ?? ''}`).join('\n')}\n`);
  }
  if (!status.loggedIn) {
    throw new AuthError(
      status.expired ? `session expired on ${status.refreshTokenExpiresAt}` : `not signed in (profile "${status.profile}")`,
    );
  }
}
