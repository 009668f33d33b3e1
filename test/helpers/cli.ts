import { spawn } from 'node:child_process';
import { tempDir } from './env.js';

/** Runs the built CLI (bin/ringcentral.cjs over dist/) as a user would. */

export const BIN = new URL('../../bin/ringcentral.cjs', import.meta.url).pathname;

/**
 * The CLI's code cache (src/code-cache.ts) for this test process's runs, never the user's own
 * cache folder; a test may name another (RINGCENTRAL_CACHE_DIR in its env).
 */
const CACHE_DIR = tempDir('rc-cli-cache-');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  /** Run as `node -- bin ...` (Node 20 otherwise claims a later --env-file for itself). */
  nodeDash?: boolean | undefined;
}

/** Runs the built CLI to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cli = startCli(args, options);
  if (options.input === undefined) cli.child.stdin.end();
  return cli.done;
}

export interface RunningCli {
  child: import('node:child_process').ChildProcessWithoutNullStreams;
  stderr(): string;
  stdout(): string;
  /** Resolves with the first stderr match of `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** Starts the built CLI and leaves it running (for login, which waits for the browser). */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [...(options.nodeDash ? ['--'] : []), BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', RINGCENTRAL_CACHE_DIR: CACHE_DIR, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of waiters) waiter();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  child.on('error', () => undefined);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const waiter of waiters) waiter();
      resolve({ code, signal, stdout, stderr });
    });
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    done,
    waitForStderr(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.match(pattern);
          if (match) {
            clearTimeout(giveUp);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(giveUp);
            reject(new Error(`CLI exited before printing ${pattern}: ${stderr}`));
          }
        };
        const giveUp = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in: ${stderr}`)), timeoutMs);
        waiters.push(check);
        check();
      });
    },
  };
}
