import { createChalk, useColor } from './colors.js';
import { redact } from './redact.js';

/**
 * The only writer of human messages. Everything goes to stderr: stdout carries data only.
 * Color follows stderr's TTY-ness and NO_COLOR / FORCE_COLOR.
 */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  debug(message: string): void;
}

export interface LoggerOptions {
  debug?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const chalk = createChalk(useColor(stream, options.env ?? process.env));
  const write = (text: string) => stream.write(`${text}\n`);
  return {
    info: (message) => write(message),
    warn: (message) => write(`${chalk.yellow('warning:')} ${message}`),
    success: (message) => write(`${chalk.green('✓')} ${message}`),
    debug: (message) => {
      if (options.debug) write(chalk.dim(`debug: ${redact(message)}`));
    },
  };
}
