import { CliError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { readFailure } from './errors.js';
import { retryAfterMs } from './pacer.js';
import { sleep as defaultSleep, type WaitBudget } from './retry.js';

/**
 * RingCentral's rules for the token endpoint (docs/basics/errors.md, "OAuth token errors"): on 429
 * and 503 wait for Retry-After; on 408, 500 and timeouts repeat 3 times at 10 s intervals. We treat
 * 502, 504 and a dropped connection like 500. Every wait is said on stderr and spent from the
 * command's --max-wait budget; past it, the last failure is thrown as it came.
 */

export interface TokenRetryOptions {
  budget: WaitBudget;
  logger: Logger;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

const REPEATED = new Set([408, 500, 502, 504]);
export const TOKEN_RETRY_MS = 10_000;
const MAX_REPEATS = 3;

export async function callTokenEndpoint<T>(what: string, call: () => Promise<T>, options: TokenRetryOptions): Promise<T> {
  let repeats = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof CliError) throw error;
      const failure = await readFailure(error);
      const { status } = failure;
      let delay: number | undefined;
      if (status === 429 || status === 503) delay = retryAfterMs(failure.retryAfter, (options.now ?? Date.now)());
      else if ((status === undefined || REPEATED.has(status)) && repeats < MAX_REPEATS) {
        repeats += 1;
        delay = TOKEN_RETRY_MS;
      }
      if (delay === undefined || !options.budget.allows(delay)) throw error;
      const reason = status === undefined ? `connection failed (${failure.message})` : `RingCentral answered ${status}`;
      options.logger.warn(`${what}: ${reason}; trying again in ${Math.ceil(delay / 1000)} s`);
      options.budget.spend(delay);
      await (options.sleep ?? defaultSleep)(delay, options.signal);
    }
  }
}
