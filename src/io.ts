/**
 * The streams and environment a run uses. `run(argv, io)` takes them so tests can run commands
 * in-process; the real ones are read lazily (touching process.stdin opens it).
 */

export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): Io {
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Help text is wrapped at the terminal's width up to this (so a help text rendered at build time matches). */
export const HELP_WIDTH = 100;

/** The width commander wraps help at: the terminal's, capped at HELP_WIDTH; HELP_WIDTH when not a terminal. */
export function helpWidth(stdout: OutStream): number {
  return Math.min(stdout.isTTY ? (stdout.columns ?? HELP_WIDTH) : HELP_WIDTH, HELP_WIDTH);
}
