import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  createWriteStream,
  fstatSync,
  lstatSync,
  type Stats,
  statSync,
  type WriteStream,
} from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { removeDeadWritersTemps, tempPathFor } from '../fs/atomic.js';

/** Where export output goes: stdout (a closed pipe is a normal end), or a file that appears only when complete. */

export interface Sink {
  write(chunk: string | Buffer): Promise<void>;
  /**
   * Flushes and, for a file, puts it in place; `beforeRename` sees the finished temp file just
   * before it replaces the target (never called for a stream).
   */
  close(beforeRename?: (written: Stats) => void): Promise<void>;
  /** Gives up: a file's partial output is removed, the target is left as it was. */
  abort(): Promise<void>;
  readonly description: string;
}

/** The reader went away (`| head -n 1`): stop quietly, exit 0. */
export class PipeClosedError extends Error {}

function writeTo(stream: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

export function stdoutSink(stream: NodeJS.WritableStream): Sink {
  let closed = false;
  const onError = () => {
    closed = true;
  };
  stream.on('error', onError);
  return {
    description: 'standard output',
    async write(chunk) {
      if (closed) throw new PipeClosedError();
      try {
        await writeTo(stream, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') throw new PipeClosedError();
        throw error;
      }
    },
    async close() {
      stream.off('error', onError);
    },
    async abort() {
      stream.off('error', onError);
    },
  };
}

/** What --output names: a new or regular file (replaced atomically), or a stream (FIFO, device, socket: written in place). */
export type OutputKind = 'file' | 'stream';

/**
 * Fails early, before any request, when --output cannot be used, and says how to write to it. A
 * FIFO, a character device (`/dev/stdout`, a terminal) or a socket is written to directly: renaming
 * a temp file over it would replace it (as root, even `/dev/null`). A symbolic link to a file is
 * refused rather than replaced by a regular file; a link to a stream (`/dev/stdout`) is followed.
 */
export function checkOutputTarget(target: string): OutputKind {
  const bad = (why: string, hint: string) => new UsageError(`--output: ${target} ${why}`, hint);
  let link: Stats | undefined;
  try {
    link = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw bad(`cannot be read: ${(error as NodeJS.ErrnoException).code}`, 'check the path');
  }
  if (link?.isSymbolicLink()) {
    const real = statSync(target, { throwIfNoEntry: false });
    if (real && isStream(real)) return 'stream';
    throw bad('is a symbolic link', "give the file's own path: exports replace files atomically and never replace a link");
  }
  if (link?.isDirectory()) throw bad('is a directory', 'give a file name, e.g. calls.ndjson inside it');
  if (link && isStream(link)) return 'stream';
  try {
    accessSync(dirname(resolve(target)), constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `--output: cannot write to ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'check that the directory exists and is writable',
    );
  }
  return 'file';
}

function isStream(stats: Stats): boolean {
  return stats.isFIFO() || stats.isCharacterDevice() || stats.isSocket();
}

/**
 * --output: a stream is written in place, a file appears only when complete. A path that is this
 * process's own standard output (`-o /dev/stdout`) is written through `stdout` itself: a socket
 * (how many programs connect children) cannot be opened by path.
 */
export async function outputSink(target: string, stdout: NodeJS.WritableStream): Promise<Sink> {
  if (checkOutputTarget(target) === 'file') return fileSink(target);
  return isStandardOutput(target) ? stdoutSink(stdout) : streamSink(target);
}

function isStandardOutput(target: string): boolean {
  try {
    const [ours, named] = [fstatSync(1), statSync(target)];
    return ours.dev === named.dev && ours.ino === named.ino;
  } catch {
    return false;
  }
}

async function openStream(path: string, flags: string, target: string, mode = 0o644): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags, mode });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `--output: cannot write to ${target}: ${error.code ?? error.message}`,
          'check that the directory exists and is writable',
        ),
      ),
    );
  });
  return stream;
}

/** A FIFO, device or socket: written as it is, like stdout (nothing to put in place, nothing to remove). */
async function streamSink(target: string): Promise<Sink> {
  const stream = await openStream(target, 'w', target);
  return {
    description: target,
    write: (chunk) => writeTo(stream, chunk),
    close: () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
    async abort() {
      stream.destroy();
    },
  };
}

/**
 * Writes to a temp file beside the target and renames it on success (atomic on one filesystem).
 * A file it replaces keeps its mode and owner (as far as this user may set them); a new file is
 * 0600: call records are personal data.
 */
async function fileSink(target: string): Promise<Sink> {
  await removeDeadWritersTemps(target);
  const temp = tempPathFor(target);
  const existing = statSync(target, { throwIfNoEntry: false });
  const stream = await openStream(temp, 'wx', target, existing ? existing.mode & 0o7777 : 0o600);
  const end = () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return {
    description: target,
    write: (chunk) => writeTo(stream, chunk),
    async close(beforeRename) {
      await end();
      if (existing) keepOwnerAndMode(temp, existing);
      beforeRename?.(statSync(temp));
      await rename(temp, target);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}

/** The replaced file's mode (the umask does not narrow it) and, where permitted (root), its owner. */
function keepOwnerAndMode(temp: string, previous: Stats): void {
  chmodSync(temp, previous.mode & 0o7777);
  try {
    chownSync(temp, previous.uid, previous.gid);
  } catch {
    // Only root may give a file away; a user's own file keeps its owner anyway.
  }
}
