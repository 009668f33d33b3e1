import { PassThrough } from 'node:stream';
import { run } from '../../src/cli.js';
import type { Io } from '../../src/io.js';
import type { CliResult } from './cli.js';

/** Runs the CLI's run() in this process, with captured streams: milliseconds, no build needed. */
export async function runInProcess(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const [stdout, stderr, stdin] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let [out, err] = ['', ''];
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  stdin.end(options.input ?? '');
  const env = Object.fromEntries(Object.entries({ NO_COLOR: '1', ...options.env }).filter(([, value]) => value !== undefined));
  const io: Io = { stdout, stderr, stdin, env, cwd: options.cwd ?? process.cwd() };
  const code = await run(args, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, signal: null, stdout: out, stderr: err };
}
