import type { Session } from '../auth/session.js';
import { CliError, InterruptedError, TemporaryError } from '../errors.js';
import { Pacer, retryAfterMs } from './pacer.js';
import { readFailure, toCliError } from './platform.js';

/**
 * GETs for long exports: paced by the rate-limit headers, 429 honoured (Retry-After), 5xx and
 * dropped connections retried with exponential backoff, other 4xx not retried. Every wait is
 * announced and counted against --max-wait.
 */

export interface ClientOptions {
  /** Longest total time to spend waiting (rate limits and backoff) before giving up. */
  maxWaitMs: number;
  maxAttempts?: number;
  signal?: AbortSignal;
  onWait?: (wait: { ms: number; reason: string }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

const RETRYABLE = new Set([500, 502, 503, 504]);

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new InterruptedError());
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export class ApiClient {
  private readonly pacer = new Pacer();
  private waitedMs = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    readonly session: Session,
    private readonly options: ClientOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
  }

  /** Time spent waiting after failures so far (ms). */
  get waited(): number {
    return this.waitedMs;
  }

  async get<T>(path: string, query?: Record<string, unknown>): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  /**
   * Any method. GET, PUT and DELETE are retried after 5xx and dropped connections; POST and PATCH
   * only after 429 (a rejected request was not processed; a 5xx one may have been).
   */
  async request<T>(method: string, path: string, query?: Record<string, unknown>, body?: unknown): Promise<T> {
    const route = new URL(path, 'http://x').pathname;
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      await this.wait(this.pacer.delayFor(route, this.now()), 'to stay under the rate limit', false);
      if (this.options.signal?.aborted) throw new InterruptedError();
      try {
        const response = await this.session.fetch<T>(path, { query, method, body });
        this.pacer.record(route, response.headers, this.now());
        return response.body;
      } catch (error) {
        if (error instanceof CliError) throw error;
        const failure = await readFailure(error);
        const response = (error as { response?: Response }).response;
        if (response) this.pacer.record(route, response.headers, this.now());
        const retryable = failure.status === 429 || (idempotent && (failure.status === undefined || RETRYABLE.has(failure.status)));
        if (!retryable) throw await toCliError(error, this.session.stored.server);
        const delay =
          failure.status === 429
            ? retryAfterMs(failure.retryAfter, this.now())
            : failure.retryAfter !== null
              ? retryAfterMs(failure.retryAfter, this.now())
              : backoffMs(attempt);
        const reason =
          failure.status === 429
            ? 'rate limited (429)'
            : failure.status === undefined
              ? `connection failed (${failure.message})`
              : `server error ${failure.status}`;
        if (attempt >= maxAttempts || this.waitedMs + delay > this.options.maxWaitMs) {
          throw giveUp(await toCliError(error, this.session.stored.server), attempt, this.waitedMs);
        }
        await this.wait(delay, `${reason}, retrying`);
      }
    }
  }

  /** Planned pacing is free; waits caused by failures count against --max-wait. */
  private async wait(ms: number, reason: string, counted = true): Promise<void> {
    if (ms <= 0) return;
    this.options.onWait?.({ ms, reason });
    if (counted) this.waitedMs += ms;
    await this.sleep(ms, this.options.signal);
  }
}

/** 0.5 s, 1 s, 2 s, ... capped at 30 s, with ±20% jitter (RingCentral's docs ask for exponential backoff). */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(500 * 2 ** (attempt - 1), 30_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

function giveUp(error: CliError, attempts: number, waitedMs: number): CliError {
  return new TemporaryError(
    `${error.message} (gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} and ${Math.round(waitedMs / 1000)} s of waiting)`,
    error.hint,
    error,
  );
}
