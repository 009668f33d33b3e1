import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'dotenv';
import { UsageError } from '../errors.js';

/**
 * Reads RC_* keys from a .env file with dotenv's parser (quotes, `export`, multi-line quoted
 * values); a line that is neither KEY=VALUE, a comment nor inside a quoted value is an error,
 * not silently skipped.
 */
export function readEnvFile(path: string, explicit: boolean): Record<string, string> | undefined {
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`--dotenv: cannot read "${path}": no such file`);
    return undefined;
  }
  // A FIFO (or a device) would block the read for ever: only regular files are read.
  if (!statSync(path).isFile())
    throw new UsageError(`${explicit ? '--dotenv: ' : ''}"${path}" is not a regular file`, 'remove it, or name a file with --dotenv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--dotenv: cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  checkLines(text, path);
  const values = parse(text);
  return Object.fromEntries(Object.entries(values).filter(([key]) => key.startsWith('RC_')));
}

/** Every line is a comment, blank, KEY=VALUE, or part of a quoted value that spans lines. */
function checkLines(text: string, path: string): void {
  let open: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (open !== undefined) {
      if (line.includes(open)) open = undefined;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(.*)$/.exec(trimmed);
    if (!match) throw new UsageError(`${path}:${index + 1} is not a KEY=VALUE line`, 'fix or remove that line (comments start with #)');
    const value = match[1] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) open = quote;
  });
}
