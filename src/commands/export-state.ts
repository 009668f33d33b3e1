import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { tempPathFor } from '../output/sinks.js';

/**
 * The checkpoint of an incremental call-log export (--since-state): where the last successful run
 * stopped (its frozen dateTo) and the ids it exported in the overlap before that, so the next run
 * can start a little earlier (late records) without writing anything twice.
 */

export interface ExportState {
  version: 1;
  server: string;
  scope: 'account' | 'extension';
  /** The frozen end of the last exported range (ISO 8601). */
  dateTo: string;
  /** Ids exported with startTime in [dateTo - overlap, dateTo). */
  overlapIds: string[];
  updatedAt: string;
}

export function readState(file: string): ExportState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--since-state: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const state = JSON.parse(text) as Partial<ExportState>;
    if (
      state.version === 1 &&
      typeof state.dateTo === 'string' &&
      !Number.isNaN(Date.parse(state.dateTo)) &&
      Array.isArray(state.overlapIds)
    ) {
      return state as ExportState;
    }
  } catch {
    // reported below
  }
  throw new UsageError(
    `--since-state: ${file} is not a call-log state file (damaged?)`,
    'restore it from a backup, or delete it and start again with --from',
  );
}

/** Written atomically (temp file + rename), so an interrupted write keeps the previous state. */
export function writeState(file: string, state: ExportState): void {
  const temp = tempPathFor(file);
  try {
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UsageError(`--since-state: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
