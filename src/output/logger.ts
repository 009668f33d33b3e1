import { Chalk } from 'chalk';

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

const SECRET_PARAMS = /([?&#](?:code|access_token|refresh_token|code_verifier|client_secret|assertion|token|state)=)[^&#\s]+/gi;
const BEARER = /\b(bearer|basic)\s+[\w\-.~+/=]+/gi;
const TOKEN_LIKE = /\bU1BC[\w-]{20,}/g;
const JWT_LIKE = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** Masks anything that looks like a credential, so debug output is safe to paste into an issue. */
export function redact(text: string): string {
  return text.replace(SECRET_PARAMS, '$1***').replace(BEARER, '$1 ***').replace(TOKEN_LIKE, '***').replace(JWT_LIKE, '***');
}
