import type { CommandContext } from '../context.js';
import { AuthError } from '../errors.js';

/** `ringcentral status`: what is stored, read locally (no network, never a browser). */

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
  source?: 'login' | 'jwt';
}

export function collectStatus(ctx: CommandContext, now = Date.now()): Status {
  const stored = ctx.store.read();
  const base = { profile: ctx.settings.profile, tokenFile: ctx.store.path };
  if (!stored) return { loggedIn: false, ...base };
  const expired = stored.tokens.refresh_token_expire_time <= now;
  return {
    loggedIn: !expired,
    ...base,
    server: stored.server,
    accountId: stored.user.accountId,
    extensionId: stored.user.extensionId,
    extensionNumber: stored.user.extensionNumber,
    name: stored.user.name,
    scope: stored.tokens.scope,
    accessTokenExpiresAt: new Date(stored.tokens.expire_time).toISOString(),
    refreshTokenExpiresAt: new Date(stored.tokens.refresh_token_expire_time).toISOString(),
    ...(expired ? { expired } : {}),
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
      ['Credentials', status.source === 'jwt' ? 'JWT' : 'browser login'],
      ['Stored in', status.tokenFile],
    ];
    write(`${rows.map(([label, value]) => `${`${label}:`.padEnd(22)}${value ?? ''}`).join('\n')}\n`);
  }
  if (!status.loggedIn) {
    throw new AuthError(status.expired ? `session expired on ${status.refreshTokenExpiresAt}` : `not signed in (profile "${status.profile}")`);
  }
}
