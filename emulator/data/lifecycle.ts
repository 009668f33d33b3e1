import { type CallView, type Dataset, hasLegRecording, LEG_RECORDING_BASE, RECORDING_BASE } from './dataset.js';

/**
 * Calls as they live on the platform: a call added at run time starts, runs (listed `In Progress`),
 * ends, and its final record becomes visible `lag` seconds later, filed under its start time. Any
 * call can later be modified (a recording attached) or deleted; every change sets lastModifiedTime.
 *
 * The strict reading where the docs are silent: a final record's lastModifiedTime is the moment the
 * call ended, although the record becomes visible only `lag` later, so a reader that trusts "changed
 * after my last look" without an overlap loses it. The generated history is final and settled.
 */

export interface LifecycleOptions {
  lagMs: number;
  listInProgress: boolean;
}

interface LiveCall {
  start: number;
  /** Planned end, or when it was finished early. */
  end: number;
  /** When the emulator learned of the call: no change of it is dated earlier. */
  knownAt: number;
  modifiedAt: number[];
  deletedAt: number | undefined;
  recordingAdded: boolean;
}

export type CallState = 'hidden' | 'in-progress' | 'final';

export interface CallVersion {
  state: CallState;
  deleted: boolean;
  lastModified: number;
}

/** Recording ids of recordings attached by `modify`: this plus the call's serial. */
const ADDED_RECORDING_BASE = 7_000_000_000;

/** A generated call's record was last touched 30 s after the call ended. */
const SETTLED_MS = 30_000;
/** The longest generated call (drawDuration: 15 + 2400 s), with its milliseconds and settling. */
export const LONGEST_GENERATED_MS = 2_416_000 + SETTLED_MS;

export class CallLifecycle {
  private readonly live = new Map<number, LiveCall>();

  constructor(
    private readonly dataset: Dataset,
    readonly options: LifecycleOptions,
  ) {}

  /** Whether any call has a lifecycle (so listings must look at each call's state). */
  get active(): boolean {
    return this.live.size > 0;
  }

  /** Serials of calls with a lifecycle (added, modified or deleted). */
  liveSerials(): IterableIterator<number> {
    return this.live.keys();
  }

  /** N calls that started `startedAgoMs` before `now` and last `durationMs`; returns their serials. */
  add(count: number, now: number, startedAgoMs: number, durationMs: number): number[] {
    const start = now - startedAgoMs;
    const serials = this.dataset.addCalls(count, start);
    for (const serial of serials) {
      this.live.set(serial, { start, end: start + durationMs, knownAt: now, modifiedAt: [], deletedAt: undefined, recordingAdded: false });
    }
    return serials;
  }

  /** Ends a running call now (a no-op for a call that has ended). */
  finish(serial: number, now: number): void {
    const call = this.entry(serial, now);
    if (call.end > now) call.end = Math.max(now, call.start);
  }

  /** Attaches a recording (if it has none) and bumps lastModifiedTime. */
  modify(serial: number, now: number): void {
    const call = this.entry(serial, now);
    call.recordingAdded = true;
    call.modifiedAt.push(now);
  }

  delete(serial: number, now: number): void {
    const call = this.entry(serial, now);
    call.deletedAt ??= now;
  }

  private entry(serial: number, now: number): LiveCall {
    let call = this.live.get(serial);
    if (!call) {
      const start = this.dataset.timeOf(serial);
      const end = start + this.dataset.durationMsOf(serial);
      call = { start, end, knownAt: Math.min(now, this.settledAt(serial)), modifiedAt: [], deletedAt: undefined, recordingAdded: false };
      this.live.set(serial, call);
    }
    return call;
  }

  /** A generated call was last touched 30 s after it ended, but never after the data set's anchor (its present). */
  private settledAt(serial: number): number {
    return Math.min(this.dataset.timeOf(serial) + this.dataset.durationMsOf(serial) + SETTLED_MS, this.dataset.anchor);
  }

  versionAt(serial: number, now: number): CallVersion {
    const call = this.live.get(serial);
    if (!call) return { state: 'final', deleted: false, lastModified: this.settledAt(serial) };
    const final = now >= Math.max(call.end + this.options.lagMs, call.knownAt);
    let lastModified = Math.max(call.start, call.knownAt);
    if (final) lastModified = Math.max(lastModified, call.end);
    for (const at of call.modifiedAt) if (at <= now) lastModified = Math.max(lastModified, at);
    const deleted = call.deletedAt !== undefined && call.deletedAt <= now;
    if (deleted) lastModified = Math.max(lastModified, call.deletedAt ?? 0);
    const state: CallState = final ? 'final' : this.options.listInProgress ? 'in-progress' : 'hidden';
    return { state, deleted, lastModified };
  }

  /** Whether a listing shows the call now. */
  listed(serial: number, now: number, showDeleted: boolean): boolean {
    if (!this.live.has(serial)) return true;
    const version = this.versionAt(serial, now);
    return version.state !== 'hidden' && (showDeleted || !version.deleted);
  }

  /** The record as the API shows it now: the dataset's record with the call's state applied. */
  render(serial: number, view: CallView, origin: string, scope: 'account' | 'extension', now: number): Record<string, unknown> {
    const record = this.dataset.renderCall(serial, view, origin, scope);
    // The settled history in the Simple view: nothing to add (the common case, kept cheap).
    if (view === 'Simple' && !this.live.has(serial)) return record;
    const version = this.versionAt(serial, now);
    const call = this.live.get(serial);
    if (call) {
      const legs = Array.isArray(record.legs) ? (record.legs as Record<string, unknown>[]) : [];
      for (const part of [record, ...legs]) {
        if (version.state === 'final') {
          part.durationMs = call.end - call.start;
          part.duration = Math.round((call.end - call.start) / 1000);
        } else {
          part.result = 'In Progress';
          for (const key of ['duration', 'durationMs', 'reason', 'reasonDescription']) delete part[key];
        }
      }
      if (version.state !== 'final') {
        delete record.recording;
        delete record.message;
      } else if (call.recordingAdded && !record.recording) {
        record.recording = this.addedRecording(serial, origin);
      }
    }
    if (view === 'Detailed') record.lastModifiedTime = new Date(version.lastModified).toISOString();
    if (version.deleted) record.deleted = true;
    return record;
  }

  private addedRecording(serial: number, origin: string): Record<string, unknown> {
    const id = String(ADDED_RECORDING_BASE + serial);
    const path = `/restapi/v1.0/account/${this.dataset.accountId}/recording/${id}`;
    return { id, uri: `${origin}${path}`, type: 'OnDemand', contentUri: `${this.dataset.mediaOrigin ?? origin}${path}/content` };
  }

  /** The call a recording id belongs to, if that call has the recording now. */
  recordingOwner(recordingId: string, now: number): number | undefined {
    if (!/^\d{10}$/.test(recordingId)) return undefined;
    const id = Number(recordingId);
    const kind = id >= ADDED_RECORDING_BASE ? 'added' : id >= LEG_RECORDING_BASE ? 'leg' : 'call';
    const serial = id - { added: ADDED_RECORDING_BASE, leg: LEG_RECORDING_BASE, call: RECORDING_BASE }[kind];
    if (!this.dataset.hasSerial(serial)) return undefined;
    const version = this.versionAt(serial, now);
    if (version.state !== 'final' || version.deleted) return undefined;
    const attributes = this.dataset.attributes(serial);
    const has =
      kind === 'added'
        ? this.live.get(serial)?.recordingAdded === true
        : kind === 'leg'
          ? hasLegRecording(attributes)
          : attributes.recording !== undefined;
    return has ? serial : undefined;
  }

  /**
   * Calls whose current version changed at or after `from` and is visible now (deleted ones
   * included), oldest change first (ties by serial): what the sync APIs read.
   */
  changesFrom(from: number, now: number): { serial: number; lastModified: number; version: CallVersion }[] {
    const serials = new Set<number>(this.live.keys());
    // A generated call's last change is at most LONGEST_GENERATED_MS after its start.
    const [first, last] = this.dataset.positionRange(from - LONGEST_GENERATED_MS, Number.POSITIVE_INFINITY);
    for (let position = first; position < last; position++) serials.add(this.dataset.serialAt(position));
    const changes: { serial: number; lastModified: number; version: CallVersion }[] = [];
    for (const serial of serials) {
      const version = this.versionAt(serial, now);
      if (version.state !== 'hidden' && version.lastModified >= from && version.lastModified <= now)
        changes.push({ serial, lastModified: version.lastModified, version });
    }
    return changes.sort((a, b) => a.lastModified - b.lastModified || a.serial - b.serial);
  }
}
