import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from '../api/client.js';
import { HttpFailure } from '../api/errors.js';
import { mayCarrySession } from '../api/origins.js';
import { CliError, ExitCode, PermissionError, TemporaryError, UsageError } from '../errors.js';
import { lockFile } from '../fs/locks.js';
import type { Logger } from '../output/logger.js';
import { collectYoungGeneration } from './young-gc.js';

/**
 * `call-log --recordings DIR`: the recording of every exported call (each leg's own too), exactly
 * once. A file appears under its final name only when complete (downloaded to DIR/.partial, size
 * checked, flushed, renamed), and is then added to DIR/manifest.ndjson (one line, appended and
 * flushed). A rerun skips what the manifest holds and resumes a partial download with Range. One
 * run at a time per DIR (a lock on the manifest).
 */

export const RECORDING_PERMISSION = 'ReadCallRecording';
export const MANIFEST = 'manifest.ndjson';
const PARTIAL = '.partial';
/** A minor GC after this many bytes of a download (see young-gc.ts). */
const GC_EVERY_BYTES = 4 * 2 ** 20;
/** How long a run waits for another run archiving into the same DIR. */
const LOCK_WAIT_MS = 30_000;

/** A recording a call-log record points to. */
export interface RecordingRef {
  callId: string;
  startTime: string;
  recordingId: string;
  contentUri: string;
}

/** One line of the manifest. */
export interface ManifestEntry {
  callId: string;
  recordingId: string;
  /** Relative to DIR, with `/`. */
  path: string;
  bytes: number;
  contentType: string;
  sha256: string;
  startTime: string;
}

/** The call's recording and its legs' own ones (the Detailed view), each once. */
export function recordingsOf(record: Record<string, unknown>): RecordingRef[] {
  const legs = Array.isArray(record.legs) ? (record.legs as Record<string, unknown>[]) : [];
  const found = new Map<string, RecordingRef>();
  for (const holder of [record, ...legs]) {
    const recording = holder.recording as { id?: unknown; contentUri?: unknown } | undefined;
    if (!recording || typeof recording !== 'object' || recording.id === undefined || typeof recording.contentUri !== 'string') continue;
    const recordingId = String(recording.id);
    if (!found.has(recordingId)) {
      found.set(recordingId, {
        callId: String(record.id),
        startTime: String(record.startTime),
        recordingId,
        contentUri: recording.contentUri,
      });
    }
  }
  return [...found.values()];
}

/** Ids and names from a server end up in paths: anything but letters, digits, `-` and `_` becomes `_`. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || '_';
}

const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * DIR-relative path of a recording: YYYY/MM/DD/<start, local time>_<call>_<recording>.<ext>, the
 * date and time local (with their UTC offset, so names sort and stay unique across a DST change).
 */
export function recordingPath(ref: RecordingRef, contentType: string): string {
  const start = new Date(ref.startTime);
  const valid = !Number.isNaN(start.getTime());
  const [y, m, d] = valid ? [start.getFullYear(), start.getMonth() + 1, start.getDate()] : [0, 0, 0];
  const offset = valid ? -start.getTimezoneOffset() : 0;
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const time = valid
    ? `${y}-${pad(m)}-${pad(d)}T${pad(start.getHours())}-${pad(start.getMinutes())}-${pad(start.getSeconds())}${zone}`
    : 'unknown';
  const ext = EXTENSIONS[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'bin';
  return `${pad(y, 4)}/${pad(m)}/${pad(d)}/${time}_${safeName(ref.callId)}_${safeName(ref.recordingId)}.${ext}`;
}

/** A download that stopped short: for the client's retry policy, a dropped connection (retried, resumed). */
function dropped(reason: string): Error {
  return new TypeError('fetch failed', { cause: { code: reason } });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export class RecordingArchive {
  private readonly archived: Set<string>;
  private downloaded = 0;
  private bytes = 0;
  private already = 0;
  private skipped = 0;

  private constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly release: () => Promise<void>,
    archived: Set<string>,
  ) {
    this.archived = archived;
  }

  /** Creates DIR (owner-only) if needed, takes its lock and reads its manifest. */
  static async open(dir: string, logger: Logger, lockWaitMs = LOCK_WAIT_MS): Promise<RecordingArchive> {
    const kind = statSync(dir, { throwIfNoEntry: false });
    if (kind && !kind.isDirectory())
      throw new UsageError(`--recordings: ${dir} is not a directory`, 'name a directory (it is created if missing)');
    try {
      mkdirSync(join(dir, PARTIAL), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UsageError(`--recordings: cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const manifest = join(dir, MANIFEST);
    const release = await lockFile(manifest, lockWaitMs, '--recordings', `archiving into ${dir}`);
    try {
      return new RecordingArchive(dir, logger, release, readManifest(manifest, logger));
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Before any download: a token that lists its permissions without ReadCallRecording is exit 4. */
  check(client: ApiClient): void {
    const scope = client.source.scope;
    if (scope && !scope.split(/\s+/).includes(RECORDING_PERMISSION)) throw missingPermission('nothing was downloaded');
  }

  /** Downloads the recordings of these (written) records that the archive does not hold yet. */
  async take(records: readonly Record<string, unknown>[], client: ApiClient, redraw: () => void): Promise<void> {
    for (const record of records) {
      for (const ref of recordingsOf(record)) {
        if (this.archived.has(ref.recordingId)) {
          this.already += 1;
          continue;
        }
        if (!this.trusted(ref, client.source.server)) continue;
        const entry = await this.fetch(ref, client, redraw);
        if (!entry) continue;
        this.append(entry);
        this.archived.add(ref.recordingId);
        this.downloaded += 1;
        redraw();
      }
    }
  }

  /** For the progress line. */
  detail(): string {
    return `${this.downloaded.toLocaleString('en-US')} recordings · ${formatBytes(this.bytes)}`;
  }

  /** What the run archived, for stderr at the end. */
  summary(): string {
    const parts = [`Archived ${this.downloaded.toLocaleString('en-US')} recordings (${formatBytes(this.bytes)}) in ${this.dir}`];
    if (this.already > 0) parts.push(`${this.already.toLocaleString('en-US')} were there already`);
    if (this.skipped > 0) parts.push(`${this.skipped.toLocaleString('en-US')} skipped (see the warnings above)`);
    return parts.join('; ');
  }

  async close(): Promise<void> {
    await this.release();
  }

  /** The token goes to the API and media servers only: a contentUri elsewhere is skipped, never sent it. */
  private trusted(ref: RecordingRef, server: string): boolean {
    let url: URL | undefined;
    try {
      url = new URL(ref.contentUri);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && mayCarrySession(url, server)) return true;
    this.skipped += 1;
    const host = url?.host ?? 'an unreadable address';
    this.logger.warn(
      `recording ${ref.recordingId} of call ${ref.callId}: its contentUri is on ${host}, not RingCentral's API or media servers: skipped (the session is never sent there)`,
    );
    return false;
  }

  /** Downloads one recording into DIR/.partial, resuming what an earlier attempt or run left; then renames it into place. */
  private async fetch(ref: RecordingRef, client: ApiClient, redraw: () => void): Promise<ManifestEntry | undefined> {
    const part = join(this.dir, PARTIAL, `${safeName(ref.recordingId)}.part`);
    let offset = 0;
    let received: { bytes: number; contentType: string; sha256: string } | undefined;
    try {
      await client.download(ref.contentUri, {
        headers: (): Record<string, string> => {
          offset = statSync(part, { throwIfNoEntry: false })?.size ?? 0;
          // One byte before the end: the answer then always has content, and that byte checks the seam.
          return offset > 0 ? { Range: `bytes=${offset - 1}-` } : {};
        },
        consume: async ({ response, touch }) => {
          received = await this.receive(part, offset, response, () => {
            touch();
            redraw();
          });
        },
      });
    } catch (error) {
      return this.failed(ref, error);
    }
    if (!received) return undefined;
    const path = recordingPath(ref, received.contentType);
    const target = join(this.dir, path);
    try {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      renameSync(part, target);
      syncDirectory(dirname(target));
    } catch (error) {
      throw diskError(target, error);
    }
    return { callId: ref.callId, recordingId: ref.recordingId, path, ...received, startTime: ref.startTime };
  }

  /** Reads one answer into the part file (appending after `offset` for a 206), hashing the whole file. */
  private async receive(part: string, offset: number, response: Response, progressed: () => void) {
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    let skip = 0;
    let expected: number | undefined;
    let start = 0;
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== offset - 1) {
        await response.body?.cancel();
        rmSync(part, { force: true });
        throw dropped('the server answered another range than asked; starting the recording again');
      }
      skip = 1;
      start = offset;
      expected = range[3] === '*' ? undefined : Number(range[3]);
    } else {
      const length = response.headers.get('content-length');
      expected = length === null ? undefined : Number(length);
    }
    const hash = createHash('sha256');
    let size = start;
    let sinceGc = 0;
    try {
      if (start > 0) {
        truncateSync(part, start);
        await hashFile(part, hash, start - 1);
      }
      const seam = start > 0 ? lastByte(part, start) : undefined;
      const body = response.body
        ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)
        : Readable.from([]);
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (let chunk of source) {
            if (skip > 0) {
              if (chunk.length === 0) continue;
              if (chunk[0] !== seam) {
                rmSync(part, { force: true });
                throw dropped('the partial download no longer matches the recording; starting it again');
              }
              // Already in the file (and the hash): it only checks the seam.
              chunk = chunk.subarray(1);
              skip = 0;
            }
            hash.update(chunk);
            size += chunk.length;
            progressed();
            yield chunk;
            // The chunks written so far are garbage: collected now, a 50 MB recording costs no more memory than a small one.
            sinceGc += chunk.length;
            if (sinceGc >= GC_EVERY_BYTES) {
              sinceGc = 0;
              await collectYoungGeneration();
            }
          }
        },
        createWriteStream(part, { flags: start > 0 ? 'a' : 'w', mode: 0o600, flush: true }),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).path !== undefined) throw diskError(part, error);
      throw error;
    }
    if (expected !== undefined && size !== expected) throw dropped(`the download ended after ${size} of ${expected} bytes`);
    this.bytes += size - start;
    return { bytes: size, contentType, sha256: hash.digest('hex') };
  }

  private failed(ref: RecordingRef, error: unknown): undefined {
    const status = error instanceof CliError && error.cause instanceof HttpFailure ? error.cause.response.status : undefined;
    if (error instanceof PermissionError || status === 403) {
      throw missingPermission(`${this.downloaded} recordings were downloaded before the refusal`, error);
    }
    if (status === 404) {
      // Deleted since the call log was read (or past its 90 days): nothing to archive.
      this.skipped += 1;
      this.logger.warn(`recording ${ref.recordingId} of call ${ref.callId} is gone (404): skipped`);
      return undefined;
    }
    throw error;
  }

  /** One line, appended and flushed: a reader sees the whole line or none of it. */
  private append(entry: ManifestEntry): void {
    const manifest = join(this.dir, MANIFEST);
    try {
      const fd = openSync(manifest, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw diskError(manifest, error);
    }
  }
}

/** The manifest's recording ids. A line cut short by a crash is dropped (its recording is fetched again). */
function readManifest(file: string, logger: Logger): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new UsageError(`--recordings: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    const keep = text.lastIndexOf('\n') + 1;
    truncateSync(file, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const entry = JSON.parse(line) as Partial<ManifestEntry>;
      if (typeof entry.recordingId === 'string') ids.add(entry.recordingId);
    } catch {
      logger.warn(`--recordings: a line of ${file} is not JSON: ignored (its recording is fetched again)`);
    }
  }
  return ids;
}

async function hashFile(file: string, hash: Hash, end: number): Promise<void> {
  if (end < 0) return;
  for await (const chunk of createReadStream(file, { start: 0, end })) hash.update(chunk as Buffer);
}

function lastByte(file: string, size: number): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const byte = Buffer.alloc(1);
    return readSync(fd, byte, 0, 1, size - 1) === 1 ? byte[0] : undefined;
  } finally {
    closeSync(fd);
  }
}

/** A renamed file survives a crash of the machine only once its directory is flushed too. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every filesystem can flush a directory; the rename itself is done.
  }
}

function diskError(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  const hint = 'what was downloaded is kept; the next run resumes';
  if (code === 'ENOSPC') return new TemporaryError(`--recordings: no space left to write ${path}`, `free some space: ${hint}`, error);
  return new CliError(`--recordings: cannot write ${path}: ${code}`, { exitCode: ExitCode.failure, hint, cause: error });
}

/** Exit 4, naming the app permission and where to add it. */
function missingPermission(done: string, cause?: unknown): CliError {
  return new CliError(`--recordings: the app may not read call recordings (it lacks the ${RECORDING_PERMISSION} permission); ${done}`, {
    exitCode: ExitCode.auth,
    hint: `add "Read Call Recording" to the app's permissions in the RingCentral developer console, then sign in again (ringcentral login)`,
    cause,
  });
}
