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
import { collectWritten } from './page-gc.js';

/**
 * `call-log --recordings DIR` and `messages --attachments DIR`: the media a record points to (a
 * call's recordings, each leg's own too; a message's attachments), exactly once. A file appears
 * under its final name only when complete (downloaded to DIR/.partial, size checked, flushed,
 * renamed), and is then added to DIR/manifest.ndjson (one line, appended and flushed). A rerun
 * skips what the manifest holds and resumes a partial download with Range. One run at a time per
 * DIR (a lock on the manifest).
 */

export const MANIFEST = 'manifest.ndjson';
const PARTIAL = '.partial';
/** A collection after this many bytes of a download (see page-gc.ts). */
const GC_EVERY_BYTES = 4 * 2 ** 20;
/** How long a run waits for another run archiving into the same DIR. */
const LOCK_WAIT_MS = 30_000;

/** One piece of media a record points to. */
export interface MediaItem {
  /** Unique in the archive (the manifest's key): a recording id, an attachment id. */
  key: string;
  /** When its record happened (ISO 8601): the file's day and name start with it. */
  time: string;
  /** The record's id then the item's, for the file name. */
  names: [string, string];
  contentUri: string;
  /** What the manifest line says of it besides the file (e.g. callId, recordingId, startTime). */
  fields: Record<string, string>;
  /** For messages: "recording 1 of call C". */
  label: string;
}

/** What an archive holds, and how its option, permission and words read. */
export interface ArchiveKind {
  option: string;
  /** Plural noun for messages ("recordings"). */
  noun: string;
  /** The manifest field holding MediaItem.key. */
  keyField: string;
  /** The app permission content needs, and where to add it. */
  permission: string;
  permissionName: string;
  itemsOf(record: Record<string, unknown>): MediaItem[];
}

/** One line of the manifest: the item's fields, then the file. */
export type ManifestEntry = Record<string, string | number> & { path: string; bytes: number; contentType: string; sha256: string };

/** The call's recording and its legs' own ones (the Detailed view), each once. */
export function recordingsOf(record: Record<string, unknown>): MediaItem[] {
  const legs = Array.isArray(record.legs) ? (record.legs as Record<string, unknown>[]) : [];
  const found = new Map<string, MediaItem>();
  const callId = String(record.id);
  const startTime = String(record.startTime);
  for (const holder of [record, ...legs]) {
    const recording = holder.recording as { id?: unknown; contentUri?: unknown } | undefined;
    if (!recording || typeof recording !== 'object' || recording.id === undefined || typeof recording.contentUri !== 'string') continue;
    const recordingId = String(recording.id);
    if (found.has(recordingId)) continue;
    found.set(recordingId, {
      key: recordingId,
      time: startTime,
      names: [callId, recordingId],
      contentUri: recording.contentUri,
      fields: { callId, recordingId, startTime },
      label: `recording ${recordingId} of call ${callId}`,
    });
  }
  return [...found.values()];
}

/** A message's attachments (voicemail audio and transcription, fax documents, MMS media, the text). */
export function attachmentsOf(record: Record<string, unknown>): MediaItem[] {
  const attachments = Array.isArray(record.attachments) ? (record.attachments as Record<string, unknown>[]) : [];
  const messageId = String(record.id);
  const creationTime = String(record.creationTime);
  return attachments
    .filter((a) => a && typeof a === 'object' && a.id !== undefined && typeof a.uri === 'string')
    .map((a) => ({
      key: String(a.id),
      time: creationTime,
      names: [messageId, String(a.id)] as [string, string],
      contentUri: String(a.uri),
      fields: { messageId, attachmentId: String(a.id), type: String(a.type ?? ''), creationTime },
      label: `attachment ${String(a.id)} of message ${messageId}`,
    }));
}

export const RECORDINGS: ArchiveKind = {
  option: '--recordings',
  noun: 'recordings',
  keyField: 'recordingId',
  permission: 'ReadCallRecording',
  permissionName: 'Read Call Recording',
  itemsOf: recordingsOf,
};

export const ATTACHMENTS: ArchiveKind = {
  option: '--attachments',
  noun: 'attachments',
  keyField: 'attachmentId',
  permission: 'ReadMessages',
  permissionName: 'Read Messages',
  itemsOf: attachmentsOf,
};

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
  'application/pdf': 'pdf',
  'image/tiff': 'tif',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * DIR-relative path of an item: YYYY/MM/DD/<time, local>_<record id>_<item id>.<ext>, the date
 * and time local (with their UTC offset, so names sort and stay unique across a DST change), the
 * extension from the Content-Type.
 */
export function mediaPath(item: Pick<MediaItem, 'time' | 'names'>, contentType: string): string {
  const start = new Date(item.time);
  const valid = !Number.isNaN(start.getTime());
  const [y, m, d] = valid ? [start.getFullYear(), start.getMonth() + 1, start.getDate()] : [0, 0, 0];
  const offset = valid ? -start.getTimezoneOffset() : 0;
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const time = valid
    ? `${y}-${pad(m)}-${pad(d)}T${pad(start.getHours())}-${pad(start.getMinutes())}-${pad(start.getSeconds())}${zone}`
    : 'unknown';
  const ext = EXTENSIONS[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'bin';
  return `${pad(y, 4)}/${pad(m)}/${pad(d)}/${time}_${safeName(item.names[0])}_${safeName(item.names[1])}.${ext}`;
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

export class MediaArchive {
  private readonly archived: Set<string>;
  private downloaded = 0;
  private bytes = 0;
  private already = 0;
  private skipped = 0;

  private constructor(
    readonly dir: string,
    private readonly kind: ArchiveKind,
    private readonly logger: Logger,
    private readonly release: () => Promise<void>,
    archived: Set<string>,
  ) {
    this.archived = archived;
  }

  /** Creates DIR (owner-only) if needed, takes its lock and reads its manifest. */
  static async open(dir: string, kind: ArchiveKind, logger: Logger, lockWaitMs = LOCK_WAIT_MS): Promise<MediaArchive> {
    const existing = statSync(dir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) {
      throw new UsageError(`${kind.option}: ${dir} is not a directory`, 'name a directory (it is created if missing)');
    }
    try {
      mkdirSync(join(dir, PARTIAL), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UsageError(`${kind.option}: cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const manifest = join(dir, MANIFEST);
    const release = await lockFile(manifest, lockWaitMs, kind.option, `archiving into ${dir}`);
    try {
      return new MediaArchive(dir, kind, logger, release, readManifest(manifest, kind, logger));
    } catch (error) {
      await release();
      throw error;
    }
  }

  /**
   * Runs `work` with the archive of DIR (none without DIR), then says what was archived; the
   * archive's lock is released whatever happens.
   */
  static async around<T>(
    dir: string | undefined,
    kind: ArchiveKind,
    logger: Logger,
    work: (archive: MediaArchive | undefined) => Promise<T>,
  ): Promise<T> {
    if (dir === undefined) return work(undefined);
    const archive = await MediaArchive.open(dir, kind, logger);
    try {
      const result = await work(archive);
      logger.info(archive.summary());
      return result;
    } finally {
      await archive.close();
    }
  }

  /** Before any download: a token that lists its permissions without the kind's permission is exit 4. */
  check(client: ApiClient): void {
    const scope = client.source.scope;
    if (scope && !scope.split(/\s+/).includes(this.kind.permission)) throw this.missingPermission('nothing was downloaded');
  }

  /** Downloads the media of these (written) records that the archive does not hold yet. */
  async take(records: readonly Record<string, unknown>[], client: ApiClient, redraw: () => void): Promise<void> {
    for (const record of records) {
      for (const item of this.kind.itemsOf(record)) {
        if (this.archived.has(item.key)) {
          this.already += 1;
          continue;
        }
        if (!this.trusted(item, client.source.server)) continue;
        const entry = await this.fetch(item, client, redraw);
        if (!entry) continue;
        this.append(entry);
        this.archived.add(item.key);
        this.downloaded += 1;
        redraw();
      }
    }
  }

  /** For the progress line. */
  detail(): string {
    return `${this.downloaded.toLocaleString('en-US')} ${this.kind.noun} · ${formatBytes(this.bytes)}`;
  }

  /** What the run archived, for stderr at the end. */
  summary(): string {
    const parts = [`Archived ${this.downloaded.toLocaleString('en-US')} ${this.kind.noun} (${formatBytes(this.bytes)}) in ${this.dir}`];
    if (this.already > 0) parts.push(`${this.already.toLocaleString('en-US')} were there already`);
    if (this.skipped > 0) parts.push(`${this.skipped.toLocaleString('en-US')} skipped (see the warnings above)`);
    return parts.join('; ');
  }

  async close(): Promise<void> {
    await this.release();
  }

  /** The token goes to the API and media servers only: a contentUri elsewhere is skipped, never sent it. */
  private trusted(item: MediaItem, server: string): boolean {
    let url: URL | undefined;
    try {
      url = new URL(item.contentUri);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && mayCarrySession(url, server)) return true;
    this.skipped += 1;
    const host = url?.host ?? 'an unreadable address';
    this.logger.warn(
      `${item.label}: its address is on ${host}, not RingCentral's API or media servers: skipped (the session is never sent there)`,
    );
    return false;
  }

  /** Downloads one item into DIR/.partial, resuming what an earlier attempt or run left; then renames it into place. */
  private async fetch(item: MediaItem, client: ApiClient, redraw: () => void): Promise<ManifestEntry | undefined> {
    const part = join(this.dir, PARTIAL, `${safeName(item.key)}.part`);
    let offset = 0;
    let received: { bytes: number; contentType: string; sha256: string } | undefined;
    try {
      await client.download(item.contentUri, {
        headers: (): Record<string, string> => {
          offset = statSync(part, { throwIfNoEntry: false })?.size ?? 0;
          // One byte before the end: the answer then always has content, and that byte checks the seam.
          return offset > 0 ? { Range: `bytes=${offset - 1}-` } : {};
        },
        consume: async ({ response, touch }) => {
          let drawn = 0;
          received = await this.receive(part, offset, response, () => {
            touch();
            // The progress line at most ten times a second, however small the chunks.
            if (Date.now() - drawn < 100) return;
            drawn = Date.now();
            redraw();
          });
        },
      });
    } catch (error) {
      return this.failed(item, error);
    }
    if (!received) return undefined;
    const path = mediaPath(item, received.contentType);
    const target = join(this.dir, path);
    try {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      renameSync(part, target);
      syncDirectory(dirname(target));
    } catch (error) {
      throw diskError(target, error);
    }
    return { ...item.fields, path, ...received };
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
        throw dropped('the server answered another range than asked; starting the download again');
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
      // The part is `offset` bytes (measured just before this request): hashed, then appended to.
      if (start > 0) await hashFile(part, hash, start - 1);
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
                throw dropped('the partial download no longer matches the content; starting it again');
              }
              // Already in the file (and the hash): it only checks the seam.
              chunk = chunk.subarray(1);
              skip = 0;
            }
            hash.update(chunk);
            size += chunk.length;
            progressed();
            yield chunk;
            // The chunks written so far are garbage: collected now, a 50 MB file costs no more memory than a small one.
            sinceGc += chunk.length;
            if (sinceGc >= GC_EVERY_BYTES) {
              sinceGc = 0;
              await collectWritten();
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

  private failed(item: MediaItem, error: unknown): undefined {
    const status = error instanceof CliError && error.cause instanceof HttpFailure ? error.cause.response.status : undefined;
    if (error instanceof PermissionError || status === 403) {
      throw this.missingPermission(`${this.downloaded} ${this.kind.noun} were downloaded before the refusal`, error);
    }
    if (status === 404) {
      // Deleted since the record was read (or past its retention): nothing to archive.
      this.skipped += 1;
      this.logger.warn(`${item.label} is gone (404): skipped`);
      return undefined;
    }
    throw error;
  }

  /** Exit 4, naming the app permission and where to add it. */
  private missingPermission(done: string, cause?: unknown): CliError {
    const { option, noun, permission, permissionName } = this.kind;
    return new CliError(`${option}: the app may not read these ${noun} (it lacks the ${permission} permission); ${done}`, {
      exitCode: ExitCode.auth,
      hint: `add "${permissionName}" to the app's permissions in the RingCentral developer console, then sign in again (ringcentral login)`,
      cause,
    });
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

/** The manifest's keys. A line cut short by a crash is dropped (its item is fetched again). */
function readManifest(file: string, kind: ArchiveKind, logger: Logger): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new UsageError(`${kind.option}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
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
      const entry = JSON.parse(line) as Record<string, unknown>;
      const key = entry[kind.keyField];
      if (typeof key === 'string') ids.add(key);
    } catch {
      logger.warn(`${kind.option}: a line of ${file} is not JSON: ignored (its file is fetched again)`);
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
  if (code === 'ENOSPC') return new TemporaryError(`no space left to write ${path}`, `free some space: ${hint}`, error);
  return new CliError(`cannot write ${path}: ${code}`, { exitCode: ExitCode.failure, hint, cause: error });
}
