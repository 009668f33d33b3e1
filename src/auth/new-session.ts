import { backoffMs, sleep } from '../api/client.js';
import { createPlatform, type Platform, readFailure, toCliError } from '../api/platform.js';
import type { Settings } from '../config.js';
import type { Logger } from '../output/logger.js';
import { revokeToken } from './revoke.js';
import { fromSdkData } from './session.js';
import type { StoredSession, TokenStore, UserInfo } from './token-store.js';

/** What every sign-in (browser or JWT) does once it holds new tokens: identify, replace, save. */

export interface NewSessionDeps {
  settings: Settings;
  store: TokenStore;
  logger: Logger;
  now?: () => number;
}

/** The session a login will replace; a damaged file is reported and then replaced. */
export function readPrevious(deps: NewSessionDeps): StoredSession | undefined {
  try {
    return deps.store.read();
  } catch (error) {
    deps.logger.warn(`${(error as Error).message}; it will be replaced by this login`);
    return undefined;
  }
}

/** `locked`: the caller already holds the store's lock (it is not reentrant). */
export async function saveNewSession(
  deps: NewSessionDeps,
  platform: Platform,
  clientId: string,
  grant: StoredSession['grant'],
  previous: StoredSession | undefined,
  locked = false,
): Promise<StoredSession> {
  const { settings } = deps;
  const tokens = fromSdkData({ ...(await platform.auth().data()) });
  const user = await readUser(platform, settings.server.value);
  const session: StoredSession = {
    version: 1,
    server: settings.server.value,
    clientId,
    ...(settings.clientSecret.value ? { clientSecret: settings.clientSecret.value } : {}),
    redirectUri: settings.redirectUri.value,
    grant,
    tokens,
    user,
    savedAt: new Date((deps.now ?? Date.now)()).toISOString(),
  };
  if (previous) await revokePrevious(deps, previous, platform);
  if (locked) deps.store.write(session);
  else await deps.store.withLock(async () => deps.store.write(session));
  return session;
}

/** Who signed in; transient failures (5xx, dropped connections) are retried a few times, as everywhere. */
export async function readUser(platform: Platform, server: string): Promise<UserInfo> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await platform.send({ method: 'GET', url: '/restapi/v1.0/account/~/extension/~', retry: true });
      const ext = (await response.json()) as { id: number; extensionNumber?: string; name?: string; account?: { id?: string } };
      return {
        accountId: String(ext.account?.id ?? ''),
        extensionId: String(ext.id),
        extensionNumber: ext.extensionNumber ?? '',
        name: ext.name ?? '',
      };
    } catch (error) {
      const { status } = await readFailure(error);
      const transient = status === undefined || status >= 500;
      if (!transient || attempt >= 4) throw await toCliError(error, server);
      await sleep(backoffMs(attempt));
    }
  }
}

/** RingCentral caps parallel sessions per user (about five): a new login ends the one it replaces. */
async function revokePrevious(deps: NewSessionDeps, previous: StoredSession, current: Platform): Promise<void> {
  try {
    const platform =
      previous.server === deps.settings.server.value && previous.clientId === deps.settings.clientId.value
        ? current
        : await createPlatform({
            server: previous.server,
            clientId: previous.clientId,
            clientSecret: previous.clientSecret,
            logger: deps.logger,
          });
    await revokeToken(platform, previous.tokens.refresh_token, previous);
    deps.logger.info('Ended the previous session of this profile.');
  } catch (error) {
    deps.logger.warn(`could not end the previous session at RingCentral (${(await readFailure(error)).message}); continuing`);
  }
}
