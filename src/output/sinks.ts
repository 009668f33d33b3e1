import { accessSync, constants, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { removeDeadWritersTemps, tempPathFor } from '../fs/atomic.js';

/** Where export output goes: stdout (a closed pipe is a normal end), or a file that appears only when complete. */

export interface Sink {
  write(chunk: string): Promise<void>;
  /** Flushes and, for a file, puts it in place. */
  close(): Promise<void>;
  /** Gives up: a file's partial output is removed, the target is left as it was. */
  abort(): Promise<void>;
  readonly description: string;
}

/** The reader went away (`| head -n 1`): stop quietly, exit 0. */
export class PipeClosedError extends Error {}

function writeTo(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
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

/** Fails early, before any request, when --output cannot be written (missing or read-only directory). */
export function checkOutputTarget(target: string): void {
  try {
    accessSync(dirname(resolve(target)), constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `--output: cannot write to ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'check that the directory exists and is writable',
    );
  }
}

/** Writes to a temp file beside the target and renames it on success (atomic on one filesystem). */
export async function fileSink(target: string): Promise<Sink> {
  await removeDeadWritersTemps(target);
  const temp = tempPathFor(target);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', mode: 0o644 });
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
  const end = () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return {
    description: target,
    write: (chunk) => writeTo(stream, chunk),
    async close() {
      await end();
      await rename(temp, target);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}
