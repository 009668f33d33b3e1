import { rmSync, statSync } from 'node:fs';

/**
 * proper-lockfile treats a lock as stale once its time is old enough; a lock whose time lies in
 * the future (a clock that jumped back, or a planted one) would never go stale and block every
 * command. Such a lock is removed before locking.
 */
export function removeFutureLock(lockedPath: string, now = Date.now()): void {
  const lock = `${lockedPath}.lock`;
  const stats = statSync(lock, { throwIfNoEntry: false });
  if (stats && stats.mtimeMs > now + 5_000) rmSync(lock, { recursive: true, force: true });
}
