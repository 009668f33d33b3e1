/**
 * Ctrl-C (and SIGTERM, as `kill` or a service manager sends it) as an AbortSignal, so an export
 * stops cleanly: whole lines, no temp file left, exit 130. The SIGINT listener is installed once
 * and stays for the life of the process on purpose: conf's atomic writer (when-exit) and
 * proper-lockfile (signal-exit) re-raise SIGINT, and kill the process if by then nobody else
 * listens, which would skip our cleanup and exit code 130. A second SIGTERM, or one when nothing
 * is running that could stop, ends the process the default way.
 */

let current: AbortController | undefined;
let installed = false;

export function interruptSignal(): AbortSignal {
  if (!installed) {
    installed = true;
    process.on('SIGINT', () => current?.abort());
    const onTerm = () => {
      if (current && !current.signal.aborted) return current.abort();
      process.off('SIGTERM', onTerm);
      process.kill(process.pid, 'SIGTERM');
    };
    process.on('SIGTERM', onTerm);
  }
  current = new AbortController();
  return current.signal;
}
