import { readFailure } from '../api/errors.js';
import type { Logger } from '../output/logger.js';
import { revokeSession } from './revoke.js';
import type { StoredSession, TokenStore } from './token-store.js';

/**
 * Revokes a profile's session at RingCentral (best effort: a failure is a warning) and always
 * deletes the local tokens, even a damaged file; signing out twice is fine. Used by `logout`
 * and `profiles remove`.
 */
export async function signOut(store: TokenStore, logger: Logger, profile: string): Promise<void> {
  let stored: StoredSession | undefined;
  try {
    stored = store.read();
  } catch (error) {
    store.delete();
    logger.warn(`${(error as Error).message}; deleted it`);
    return;
  }
  if (!stored) {
    logger.info(`Not signed in (profile "${profile}"); nothing to do.`);
    return;
  }
  try {
    await revokeSession(stored, logger);
  } catch (error) {
    logger.warn(
      `could not revoke the session at ${stored.server} (${(await readFailure(error)).message}); the local tokens are deleted anyway`,
    );
  } finally {
    await store.withLock(async () => store.delete());
  }
  logger.success(`Logged out of ${stored.server} [profile ${profile}]`);
}
