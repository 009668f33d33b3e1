import { Chalk } from 'chalk';
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

/** Color only on a terminal, unless NO_COLOR or FORCE_COLOR says otherwise (logger and tables alike). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function createLogger(options: { debug?: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv } = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const chalk = new Chalk({ level: useColor(stream, options.env ?? process.env) ? 1 : 0 });
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

export { redact };
