import { readFileSync, renameSync, rmSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { lockFile } from '../fs/locks.js';

/**
 * The checkpoint of an incremental call-log export (--since-state): where the last successful run
 * stopped (its frozen dateTo) and the ids it exported in the overlap before that, so the next run
 * can start a little earlier (late records) without writing anything twice.
 */

export type CallLogScope = 'account' | 'extension';

/** What a windowed state file is for: the call log (absent, as older files have it) or a message store export. */
export type StateKind = 'call-log' | 'messages';

export interface ExportState {
  version: 1;
  /** Absent: the call log. */
  kind?: 'messages';
  server: string;
  scope: CallLogScope;
  /** The frozen end of the last exported range (ISO 8601). */
  dateTo: string;
  /** Ids exported with startTime in [dateTo - overlap, dateTo), or since runningFrom. */
  overlapIds: string[];
  /** The start of the oldest call that was still running (not yet written): the next run reads from there. */
  runningFrom?: string;
  updatedAt: string;
}

/** Plain runs emit each call once, in final form; --changes runs emit every new version and deletions. */
export type SyncMode = 'final' | 'changes';

/**
 * The checkpoint of an export driven by call-log-extract-sync (the company log): which changes the
 * last run read (up to the server's syncTime) and what it emitted near that point.
 */
export interface SyncState {
  version: 2;
  server: string;
  scope: 'account';
  mode: SyncMode;
  /** Calls that started before this are outside the export (ISO 8601). */
  origin: string;
  /** The server's time when the last run's first read was answered (ISO 8601). */
  syncTime: string;
  /** Plain mode: a call that ended before this was exported long ago (or is outside the export). */
  forgetBefore: string;
  /** Plain: id → when the call ended (ms), for calls emitted; --changes: id → the version emitted. */
  seen: Record<string, number | string>;
  updatedAt: string;
  /** Only in FILE.next: the --output file whose appearance makes this state the current one. */
  commit?: { output: string; dev: number; ino: number; size: number };
}

export type AnyState = ExportState | SyncState;

function isSyncState(state: Partial<SyncState>): state is SyncState {
  return (
    state.version === 2 &&
    (state.mode === 'final' || state.mode === 'changes') &&
    [state.origin, state.syncTime, state.forgetBefore].every((t) => typeof t === 'string' && !Number.isNaN(Date.parse(t))) &&
    typeof state.seen === 'object' &&
    state.seen !== null
  );
}

export function readState(file: string): AnyState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--since-state: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let state: Partial<ExportState> | undefined;
  try {
    state = JSON.parse(text) as Partial<ExportState>;
  } catch {
    state = undefined;
  }
  if (state && isSyncState(state as Partial<SyncState>)) return state as unknown as SyncState;
  if (
    state?.version === 1 &&
    typeof state.dateTo === 'string' &&
    !Number.isNaN(Date.parse(state.dateTo)) &&
    Array.isArray(state.overlapIds)
  ) {
    return state as ExportState;
  }
  throw new UsageError(
    `--since-state: ${file} is not a call-log state file (damaged?)`,
    'restore it from a backup, or delete it and start again with --from',
  );
}

/** Written atomically (temp file + rename, mode 0600), so an interrupted write keeps the previous state. */
export function writeState(file: string, state: AnyState): void {
  try {
    writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`--since-state: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** One incremental run: what the last run left, and how this one moves the checkpoint. */
/** How long a run waits for another run holding the same state file. */
export const STATE_LOCK_WAIT_MS = 30_000;

export interface SinceStateOptions {
  from?: string | undefined;
  limit?: number | undefined;
  /** --reset-state: start over (at --from, or the first-run default), ignoring what the file says. */
  resetState?: boolean | undefined;
  /** How long to wait for another run's lock (default STATE_LOCK_WAIT_MS). */
  lockWaitMs?: number;
}

export class SinceState {
  private constructor(
    readonly file: string,
    readonly previous: AnyState | undefined,
    private readonly release: () => Promise<void>,
  ) {}

  /**
   * Takes the state file's lock (one run at a time: a second one waits up to 30 s, then exit 75),
   * reads it, and checks the options that cannot go with it. Call `end()` when the run is over.
   * A first run (no file) without --from starts at the default, 24 h back.
   */
  static async start(file: string, options: SinceStateOptions): Promise<SinceState> {
    if (options.limit !== undefined) {
      throw new UsageError('--limit cannot be combined with --since-state (the next run would skip what was cut)');
    }
    const release = await lockFile(file, options.lockWaitMs ?? STATE_LOCK_WAIT_MS, '--since-state', `exporting with ${file}`);
    try {
      recoverCommit(file);
      const previous = options.resetState ? undefined : readState(file);
      if (previous && options.from !== undefined) {
        throw new UsageError(
          `--from cannot be combined with --since-state ${file}: the state says where to start`,
          'add --reset-state to start over from --from',
        );
      }
      return new SinceState(file, previous, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Releases the state file for the next run. */
  end(): Promise<void> {
    return this.release();
  }

  /** The last run's windowed checkpoint (the user's own log), if that is what the file holds. */
  get windowed(): ExportState | undefined {
    return this.previous?.version === 1 ? this.previous : undefined;
  }

  /** The last run's sync checkpoint (the company log), if that is what the file holds. */
  get synced(): SyncState | undefined {
    return this.previous?.version === 2 ? this.previous : undefined;
  }

  /** Where this run starts: `overlap` before the last run's end (undefined on a first run). */
  startFrom(overlapMs: number): Date | undefined {
    const windowed = this.windowed;
    if (!windowed) return undefined;
    const from = Date.parse(windowed.dateTo) - overlapMs;
    return new Date(windowed.runningFrom ? Math.min(from, Date.parse(windowed.runningFrom)) : from);
  }

  /** Ids the last run already wrote in the overlap. */
  get alreadyWritten(): Set<string> {
    return new Set(this.windowed?.overlapIds ?? []);
  }

  /** A sync state moves on as one file: at once on stdout, or with the --output file (see `commit`). */
  saveSync(state: SyncState): void {
    writeState(this.file, state);
  }

  /**
   * Two-phase move with an --output file: FILE.next names the finished (not yet renamed) output by
   * inode and size before it is put in place; `commit` then replaces FILE. A run killed in between
   * is completed by the next one (the output is there: FILE.next wins) or undone (it is not).
   */
  prepare(state: SyncState, output: string, written: Stats): void {
    writeState(`${this.file}.next`, {
      ...state,
      commit: { output: resolve(output), dev: written.dev, ino: written.ino, size: written.size },
    });
  }

  commit(): void {
    renameSync(`${this.file}.next`, this.file);
  }

  /** A state file belongs to one command, server and scope. */
  check(scope: CallLogScope, server: string, kind: StateKind = 'call-log'): void {
    const previous = this.previous;
    const previousKind = previous?.version === 1 ? (previous.kind ?? 'call-log') : 'call-log';
    if (previous && (previousKind !== kind || previous.scope !== scope || previous.server !== server)) {
      const what =
        previousKind === 'messages'
          ? `the messages of ${previous.scope === 'account' ? 'every extension' : 'one mailbox'}`
          : `the ${previous.scope} call log`;
      throw new UsageError(
        `--since-state: ${this.file} belongs to ${what} of ${previous.server}`,
        'use one state file per command, server and scope',
      );
    }
  }

  save(
    server: string,
    scope: CallLogScope,
    checkpoint: { to: Date; overlapIds: string[]; runningFrom?: Date },
    kind: StateKind = 'call-log',
  ): void {
    writeState(this.file, {
      version: 1,
      ...(kind === 'messages' ? { kind } : {}),
      server,
      scope,
      dateTo: checkpoint.to.toISOString(),
      overlapIds: checkpoint.overlapIds,
      ...(checkpoint.runningFrom ? { runningFrom: checkpoint.runningFrom.toISOString() } : {}),
      updatedAt: new Date().toISOString(),
    });
  }
}

/** Finishes or undoes what a killed run left in FILE.next (see SinceState.prepare). */
function recoverCommit(file: string): void {
  const next = `${file}.next`;
  let state: AnyState | undefined;
  try {
    state = readState(next);
  } catch {
    state = undefined;
  }
  if (state === undefined) {
    rmSync(next, { force: true });
    return;
  }
  const commit = state.version === 2 ? state.commit : undefined;
  const output = commit ? statSync(commit.output, { throwIfNoEntry: false }) : undefined;
  if (commit && output && output.dev === commit.dev && output.ino === commit.ino && output.size === commit.size) {
    delete (state as SyncState).commit;
    writeState(file, state);
  }
  rmSync(next, { force: true });
}
