import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PipeClosedError, type Sink, stdoutSink } from './sinks.js';

/**
 * Long output on a terminal goes through a pager, as with `gh` and `git`: `$PAGER`, else `less`
 * with `LESS=FRX` (quit if one screen, keep colors, leave the text on screen). Text that fits the
 * screen is written directly; the pager starts only once it would not (the first screenful is held
 * back until then). `PAGER=` or `PAGER=cat` turns it off.
 */

export function pagerCommand(env: NodeJS.ProcessEnv): string | undefined {
  const pager = env.PAGER;
  if (pager !== undefined) return pager.trim() === '' || pager.trim() === 'cat' ? undefined : pager;
  const found = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'less')));
  return found ? 'less' : undefined;
}

export async function pagerSink(stdout: NodeJS.WritableStream, env: NodeJS.ProcessEnv, screenRows: number): Promise<Sink> {
  const direct = stdoutSink(stdout);
  const command = pagerCommand(env);
  if (!command) return direct;
  const { spawn } = await import('node:child_process');
  let held = '';
  let pager: import('node:child_process').ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let gone = false;
  const start = () => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { ...env, LESS: env.LESS ?? 'FRX' } });
    exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.stdin?.on('error', () => {
      gone = true;
    });
    pager = child;
  };
  const toPager = (chunk: string | Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (gone || !pager?.stdin) return reject(new PipeClosedError());
      pager.stdin.write(chunk, (error) => (error ? reject(new PipeClosedError()) : resolve()));
    });
  const finish = async () => {
    pager?.stdin?.end();
    await exited;
  };
  return {
    description: 'standard output',
    async write(chunk) {
      if (pager) return toPager(chunk);
      held += chunk.toString();
      if (held.split('\n').length - 1 < screenRows - 1) return;
      start();
      const text = held;
      held = '';
      await toPager(text);
    },
    async close() {
      if (pager) return finish();
      if (held) await direct.write(held);
      await direct.close();
    },
    async abort() {
      if (pager) return finish();
      if (held) await direct.write(held).catch(() => undefined);
      await direct.abort();
    },
  };
}
