/**
 * Ctrl-C as an AbortSignal. The SIGINT listener is installed once and stays for the life of the
 * process on purpose: conf's atomic writer (when-exit) and proper-lockfile (signal-exit) re-raise
 * SIGINT, and kill the process if by then nobody else listens, which would skip our cleanup
 * and exit code 130.
 */

let current: AbortController | undefined;
let installed = false;

export function interruptSignal(): AbortSignal {
  if (!installed) {
    installed = true;
    process.on('SIGINT', () => current?.abort());
  }
  current = new AbortController();
  return current.signal;
}
