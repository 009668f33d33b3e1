import { randomBytes } from 'node:crypto';
import { accessSync, constants, createWriteStream, type WriteStream } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../errors.js';

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

export function stdoutSink(stream: NodeJS.WriteStream = process.stdout): Sink {
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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temp file an atomic replace of `target` writes first: hidden, beside it, named by pid. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Temp files of earlier runs that were killed (SIGKILL leaves no chance to clean up). */
export async function removeAbandonedTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name)?.[2]);
    if (name.startsWith(prefix) && pid && !processAlive(pid)) await rm(join(dirname(target), name), { force: true });
  }
}

/** Fails early, before any request, when --output cannot be written (missing or read-only directory). */
export function checkOutputTarget(target: string): void {
  try {
    accessSync(dirname(resolve(target)), constants.W_OK);
  } catch (error) {
    throw new CliError(`--output: cannot write to ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      exitCode: 2,
      hint: 'check that the directory exists and is writable',
    });
  }
}

/** Writes to a temp file beside the target and renames it on success (atomic on one filesystem). */
export async function fileSink(target: string): Promise<Sink> {
  await removeAbandonedTemps(target);
  const temp = tempPathFor(target);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', mode: 0o644 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(`--output: cannot write to ${target}: ${error.code ?? error.message}`, {
          exitCode: 2,
          hint: 'check that the directory exists and is writable',
        }),
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
