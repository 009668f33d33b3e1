import { setTimeout as delay } from 'node:timers/promises';
import { InterruptedError } from '../errors.js';

/** 0.5 s, 1 s, 2 s, ... capped at 30 s, with ±20% jitter (RingCentral's docs ask for exponential backoff). */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(500 * 2 ** (attempt - 1), 30_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Waits `ms`; Ctrl-C (the signal) ends the wait with exit 130. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw new InterruptedError();
    throw error;
  }
}

/**
 * The --max-wait budget of one command: every wait caused by a failure (rate limits, backoff,
 * token-endpoint trouble) is spent from it, wherever it happens.
 */
export class WaitBudget {
  private spent = 0;

  constructor(readonly maxMs: number) {}

  get waitedMs(): number {
    return this.spent;
  }

  allows(ms: number): boolean {
    return this.spent + ms <= this.maxMs;
  }

  spend(ms: number): void {
    this.spent += ms;
  }
}
