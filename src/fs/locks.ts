import { rmSync, statSync } from 'node:fs';
import { TemporaryError, UsageError } from '../errors.js';

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

/**
 * Takes `file`'s lock (proper-lockfile: a `FILE.lock` directory, stale after 10 s without its
 * owner's updates, so a killed run never blocks the next one for long). Another run holding it is
 * waited for up to `waitMs`, then exit 75; a lock that cannot be made at all is a usage error.
 * `what` names the option and `busy` what the other run is doing, for the messages.
 */
export async function lockFile(file: string, waitMs: number, what: string, busy: string): Promise<() => Promise<void>> {
  const { default: lockfile } = await import('proper-lockfile');
  removeFutureLock(file);
  try {
    return await lockfile.lock(file, {
      realpath: false,
      stale: 10_000,
      update: 5_000,
      retries: { retries: Math.ceil(waitMs / 500), factor: 1, minTimeout: 500, maxTimeout: 500 },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new TemporaryError(
        `${what}: another run is ${busy} (waited ${Math.round(waitMs / 1000)} s)`,
        'runs on one file take turns; try again when it has finished',
      );
    }
    throw new UsageError(`${what}: cannot lock ${file}: ${code ?? String(error)}`, 'check that its directory exists and is writable');
  }
}
