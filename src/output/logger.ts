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

function colorLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): 0 | 1 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  return stream.isTTY ? 1 : 0;
}

export function createLogger(options: { debug?: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv } = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const chalk = new Chalk({ level: colorLevel(stream, options.env ?? process.env) });
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
