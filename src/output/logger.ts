import { NO_STYLES, type Styles } from './colors.js';
import { printable } from './printable.js';
import { redact } from './redact.js';

/**
 * The only writer of human messages. Everything goes to stderr: stdout carries data only.
 * Styles come from output/colors.ts (stderr's TTY-ness and NO_COLOR / FORCE_COLOR).
 */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  debug(message: string): void;
  /** Whether only errors may be written (--quiet). */
  readonly quiet: boolean;
  /** Whether debug lines are written (--debug): callers skip work that only feeds them. */
  readonly debugging: boolean;
}

export interface LoggerOptions {
  debug?: boolean;
  /** --quiet (cron): nothing but errors, which the error reporter writes itself. */
  quiet?: boolean;
  stream?: { write(text: string): unknown };
  styles?: Styles;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const styles = options.styles ?? NO_STYLES;
  const write = (text: string) => {
    if (!options.quiet) stream.write(`${printable(text, { keepNewlines: true })}\n`);
  };
  return {
    info: (message) => write(message),
    warn: (message) => write(`${styles.yellow('warning:')} ${message}`),
    success: (message) => write(`${styles.green('✓')} ${message}`),
    debug: (message) => {
      if (options.debug) stream.write(`${styles.dim(`debug: ${printable(redact(message), { keepNewlines: true })}`)}\n`);
    },
    quiet: options.quiet ?? false,
    debugging: options.debug ?? false,
  };
}
