import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';

/** Reads RC_* keys from a .env file; garbage lines are an error, not silently skipped. */
export function readEnvFile(path: string, explicit: boolean): Record<string, string> | undefined {
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`--env-file: cannot read "${path}": no such file`);
    return undefined;
  }
  // A FIFO (or a device) would block the read for ever: only regular files are read.
  if (!statSync(path).isFile())
    throw new UsageError(`${explicit ? '--env-file: ' : ''}"${path}" is not a regular file`, 'remove it, or name a file with --env-file');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--env-file: cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) {
      throw new UsageError(`${path}:${index + 1} is not a KEY=VALUE line`, 'fix or remove that line (comments start with #)');
    }
  });
  // util.parseEnv is why engines.node says >= 20.12.
  const values = parseEnv(text) as Record<string, string>;
  return Object.fromEntries(Object.entries(values).filter(([key]) => key.startsWith('RC_')));
}
