import { ApiClient } from '../api/client.js';
import { readMe } from '../api/endpoints.js';
import { readFailure } from '../api/errors.js';
import type { Platform } from '../api/platform.js';
import { WaitBudget } from '../api/retry.js';
import { revokeSession } from './revoke.js';
import { fromSdkData } from './sdk-tokens.js';
import { type AuthDeps, hasRefreshToken, type StoredSession, type UserInfo } from './token-store.js';

/** What every sign-in (browser or JWT) does once it holds new tokens: identify, replace, save. */

/** The session a login will replace; a damaged file is reported and then replaced. */
export function readPrevious(deps: AuthDeps): StoredSession | undefined {
  try {
    return deps.store.read();
  } catch (error) {
    deps.logger.warn(`${(error as Error).message}; it will be replaced by this login`);
    return undefined;
  }
}

export interface SignIn {
  /** Holds the new tokens (after a code or JWT exchange). */
  platform: Platform;
  clientId: string;
  grant: StoredSession['grant'];
  /** The session this one replaces, revoked before the new one is saved. */
  previous?: StoredSession | undefined;
  /** The caller already holds the store's lock (it is not reentrant). */
  alreadyLocked?: boolean;
  /** The JWT of a JWT sign-in: kept when the app issues no refresh tokens, to sign in again later. */
  jwt?: string;
}

export async function completeSignIn(deps: AuthDeps, signIn: SignIn): Promise<StoredSession> {
  const { settings } = deps;
  const tokens = fromSdkData({ ...(await signIn.platform.auth().data()) });
  const user = await readUser(settings.server.value, tokens.access_token, deps);
  const session: StoredSession = {
    version: 1,
    server: settings.server.value,
    clientId: signIn.clientId,
    ...(settings.clientSecret.value ? { clientSecret: settings.clientSecret.value } : {}),
    redirectUri: settings.redirectUri.value,
    grant: signIn.grant,
    tokens,
    user,
    savedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    ...(signIn.jwt !== undefined && !hasRefreshToken(tokens) ? { jwt: signIn.jwt } : {}),
  };
  if (signIn.previous) await revokePrevious(deps, signIn.previous, signIn.platform);
  if (signIn.alreadyLocked) await deps.store.write(session);
  else await deps.store.withLock(() => deps.store.write(session));
  return session;
}

/** Who signed in, with the same retries as every other request (a fresh token needs no refresh). */
async function readUser(server: string, accessToken: string, deps: AuthDeps): Promise<UserInfo> {
  const client = new ApiClient(
    { server, accessToken: async () => accessToken },
    { budget: deps.budget ?? new WaitBudget(30_000), maxAttempts: 4, logger: deps.logger },
  );
  const me = await readMe(client);
  return {
    accountId: String(me.account?.id ?? ''),
    extensionId: String(me.id),
    extensionNumber: me.extensionNumber ?? '',
    name: me.name ?? '',
  };
}

/** RingCentral caps parallel sessions per user (about five): a new login ends the one it replaces. */
async function revokePrevious(deps: AuthDeps, previous: StoredSession, current: Platform): Promise<void> {
  const sameApp = previous.server === deps.settings.server.value && previous.clientId === deps.settings.clientId.value;
  try {
    await revokeSession(previous, deps.logger, sameApp ? current : undefined);
    deps.logger.info('Ended the previous session of this profile.');
  } catch (error) {
    deps.logger.warn(`could not end the previous session at RingCentral (${(await readFailure(error)).message}); continuing`);
  }
}
