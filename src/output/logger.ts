import { NO_STYLES, type Styles } from './colors.js';
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
}

export interface LoggerOptions {
  debug?: boolean;
  stream?: NodeJS.WritableStream;
  styles?: Styles;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const styles = options.styles ?? NO_STYLES;
  const write = (text: string) => stream.write(`${text}\n`);
  return {
    info: (message) => write(message),
    warn: (message) => write(`${styles.yellow('warning:')} ${message}`),
    success: (message) => write(`${styles.green('✓')} ${message}`),
    debug: (message) => {
      if (options.debug) write(styles.dim(`debug: ${redact(message)}`));
    },
  };
}
