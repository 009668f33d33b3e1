import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

/**
 * Runs the built CLI in a real pseudo-terminal (util-linux `script`), `columns` × `rows` wide:
 * stdout and stderr are the terminal, as for a person. `output` is what the terminal received;
 * `screenLines()` what it shows line by line (a carriage return starts a line over, an erase clears it).
 */

export interface PtyRun {
  /** Everything written to the terminal so far. */
  output(): string;
  /** Resolves when `pattern` has appeared, with the time (ms since start). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<number>;
  /** Types into the terminal (e.g. "\x03" for Ctrl-C). */
  type(text: string): void;
  done: Promise<{ code: number | null; ms: number }>;
  started: number;
}

export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function runInPty(
  args: string[],
  options: { columns: number; rows?: number; env: Record<string, string | undefined>; cwd?: string; stdoutTo?: string },
): PtyRun {
  // `stdoutTo`: standard output to a file (`> FILE`), standard error still the terminal.
  const redirect = options.stdoutTo === undefined ? '' : ` > ${shellQuote(options.stdoutTo)}`;
  const command = `stty cols ${options.columns} rows ${options.rows ?? 24}; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}${redirect}`;
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...process.env, TERM: 'xterm', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: (ms: number) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(performance.now() - started);
      }
    }
  });
  const done = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, ms: performance.now() - started })),
  );
  return {
    started,
    output: () => text,
    waitFor(pattern, timeoutMs = 20_000) {
      if (pattern.test(text)) return Promise.resolve(performance.now() - started);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; got: ${JSON.stringify(text.slice(-500))}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (ms) => {
            clearTimeout(timer);
            resolve(ms);
          },
        });
      });
    },
    type: (input) => child.stdin.write(input),
    done,
  };
}

/** An escape sequence (ESC [ … letter): colors, erases. */
const CSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** What a terminal shows for `output`, line by line (colors and erases applied, simply). */
export function screenLines(output: string): string[] {
  return output.split(/\r?\n/).map((line) => {
    const parts = line.split('\r');
    let shown = '';
    for (const part of parts) {
      // "\x1b[K" after a carriage return erases the line: what follows replaces it.
      const erased = part.startsWith('\x1b[K');
      const text = part.replace(CSI, '');
      shown = erased || text.length >= shown.length ? text : text + shown.slice(text.length);
    }
    return shown;
  });
}
