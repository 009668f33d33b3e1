import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replacing a file so that a reader sees the old one or the new one, never half of either:
 * write a temp file beside the target, then rename it over (atomic on one filesystem). The temp
 * name carries our pid, so a later run can tell an abandoned temp (its writer is dead) from a
 * live one. The token store's temps are conf's own (see TokenStore).
 */

/**
 * The temp file an atomic replace of `target` writes first: hidden, beside it, named by pid. The
 * suffix only has to differ between writes of one process (the file is created exclusively), so
 * it needs no crypto.
 */
export function tempPathFor(target: string): string {
  const suffix = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  return join(dirname(target), `.${basename(target)}.${process.pid}.${suffix}.tmp`);
}

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temps in `target`'s directory whose writer died (SIGKILL leaves no chance to clean up),
 * whatever file they were for: a cron job writing calls-$(date +%F).ndjson never asks for
 * yesterday's name again.
 */
export async function removeDeadWritersTemps(target: string): Promise<void> {
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[2]);
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(join(dirname(target), name), { force: true });
  }
}

/** Writes `text` to `target` atomically; on failure the target is untouched and the temp removed. */
export function writeFileAtomic(target: string, text: string | Uint8Array, mode = 0o600): void {
  const temp = tempPathFor(target);
  try {
    writeFileSync(temp, text, { flag: 'wx', mode });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
