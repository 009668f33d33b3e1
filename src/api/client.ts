import { CliError, InterruptedError, TemporaryError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { type ApiFailure, readFailure, toCliError } from './errors.js';
import { Pacer, retryAfterMs } from './pacer.js';
import { backoffMs, sleep, type WaitBudget } from './retry.js';
import { SharedPacing } from './shared-pacing.js';
import { type ApiResponse, type OpenDownload, type TokenSource, Transport } from './transport.js';

/**
 * The one retry policy for REST calls: paced by the rate-limit headers, 429 honoured
 * (Retry-After), 5xx and dropped connections retried with exponential backoff, other 4xx not
 * retried. Every wait is announced and failure waits count against --max-wait.
 */

export interface ClientOptions {
  /** Longest total time to spend waiting after failures (--max-wait), shared with token calls. */
  budget: WaitBudget;
  maxAttempts?: number;
  signal?: AbortSignal;
  onWait?: (wait: { ms: number; reason: string }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Sees every answer's headers (e.g. `doctor` reads the rate-limit headroom). */
  onResponse?: (headers: Headers) => void;
  /** How long one request may take (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

const RETRYABLE = new Set([500, 502, 503, 504]);

interface Classified {
  retryable: boolean;
  delay: number;
  reason: string;
}

export class ApiClient {
  private readonly pacer = new Pacer();
  private readonly shared: SharedPacing | undefined;
  /** How far the server's clock (its Date header) is ahead of ours, ms; undefined before an answer. */
  private serverSkew: number | undefined;
  private readonly transport: Transport;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each wait; replaceable so an export can show waits on its progress line. */
  onWait: ((wait: { ms: number; reason: string }) => void) | undefined;

  constructor(
    readonly source: TokenSource,
    private readonly options: ClientOptions,
  ) {
    this.transport = new Transport(source, options.logger, options.env, options.requestTimeoutMs);
    this.shared = source.pacingFile ? new SharedPacing(source.pacingFile) : undefined;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.onWait = options.onWait;
  }

  /** Time spent waiting after failures so far (ms). */
  get waited(): number {
    return this.options.budget.waitedMs;
  }

  async get<T>(path: string, query?: Record<string, unknown>): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  /**
   * Any method. GET, PUT and DELETE are retried after 5xx and dropped connections; POST and PATCH
   * only after 429 (a rejected request was not processed; a 5xx one may have been).
   */
  async request<T>(method: string, path: string, query?: Record<string, unknown>, body?: unknown, raw = false): Promise<T> {
    return (await this.exchange<T>(method, path, { query, body, raw })).body;
  }

  /** A request with its answer's status and headers (`api -i`). */
  async exchange<T>(
    method: string,
    path: string,
    {
      query,
      body,
      raw = false,
      headers,
    }: { query?: Record<string, unknown>; body?: unknown; raw?: boolean; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>> {
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
    return this.perform(routeKey(path), idempotent, async (answered) => {
      const response = await this.transport.send<T>(path, { query, method, body, signal: this.options.signal, raw, headers });
      await answered(response.headers);
      return response;
    });
  }

  /**
   * A download (media content), paced, retried and refreshed like any GET. `consume` reads each
   * attempt's answer; a failure while it reads counts as a dropped connection (retried), and the
   * next attempt's `headers()` may ask for the rest with Range. The token goes only to the origins
   * api/origins.ts allows.
   */
  async download(
    url: string,
    { headers, consume }: { headers: () => Record<string, string>; consume: (opened: OpenDownload) => Promise<void> },
  ): Promise<void> {
    await this.perform(routeKey(url), true, async (answered) => {
      const opened = await this.transport.open(url, { headers: headers(), signal: this.options.signal });
      try {
        await answered(opened.response.headers);
        await consume(opened);
      } finally {
        opened.close();
      }
    });
  }

  /** The retry loop: `attempt` sends once and reports its answer's headers through `answered`. */
  private async perform<R>(
    route: string,
    idempotent: boolean,
    attempt: (answered: (headers: Headers) => Promise<void>) => Promise<R>,
  ): Promise<R> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const answered = async (headers: Headers) => {
      this.pacer.record(route, headers, this.now());
      await this.shared?.learn(route, headers, this.pacer.sharedWithOthers(route, this.now()));
      this.noteServerDate(headers.get('date'));
      this.options.onResponse?.(headers);
    };
    for (let attempts = 1; ; attempts++) {
      // The ledger shared with other processes paces the route once it knows it; until then, our own pacer.
      const slot = await this.takeSharedSlot(route);
      if (slot === undefined) await this.wait(this.pacer.delayFor(route, this.now()), 'to stay under the rate limit', false);
      if (this.options.signal?.aborted) throw new InterruptedError();
      try {
        return await attempt(answered).finally(() =>
          // Counted from its answer, which is later than the server counted it: safe whatever the delays.
          slot === undefined ? undefined : this.shared?.settle(route, slot, this.now()),
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        if (this.options.signal?.aborted) throw new InterruptedError();
        const failure = await readFailure(error);
        const response = (error as { response?: Response }).response;
        if (response) this.pacer.record(route, response.headers, this.now());
        const { retryable, delay, reason } = this.classify(failure, idempotent, attempts);
        if (failure.status === 429 && response) {
          await this.shared?.learn(route, response.headers, true);
          await this.shared?.block(route, this.now() + delay);
        }
        if (!retryable) throw await toCliError(error, this.source.server);
        if (attempts >= maxAttempts || !this.options.budget.allows(delay)) {
          throw giveUp(await toCliError(error, this.source.server), attempts, this.waited);
        }
        await this.wait(delay, `${reason}, retrying`);
      }
    }
  }

  /**
   * Waits for a slot in the window this user and app share with their other processes; returns
   * when the slot was taken, or undefined if the ledger does not pace the route.
   */
  private async takeSharedSlot(route: string): Promise<number | undefined> {
    if (!this.shared) return undefined;
    for (;;) {
      const now = this.now();
      const delay = await this.shared.reserve(route, now);
      if (delay === undefined) return undefined;
      if (delay <= 0) return now;
      await this.wait(delay, 'to stay under the rate limit (shared by this user and app)', false);
      if (this.options.signal?.aborted) throw new InterruptedError();
    }
  }

  private noteServerDate(date: string | null): void {
    const server = Date.parse(date ?? '');
    if (!Number.isNaN(server)) this.serverSkew = server - Date.now();
  }

  /**
   * The server's time (from the Date header of its last answer, to the second), or undefined
   * before any answer: a checkpoint taken from it survives a local clock that is wrong or jumps back.
   */
  serverNow(): Date | undefined {
    return this.serverSkew === undefined ? undefined : new Date(Date.now() + this.serverSkew);
  }

  private classify(failure: ApiFailure, idempotent: boolean, attempt: number): Classified {
    const { status } = failure;
    // CMN-304 "Duplicate concurrent request": the first one is still being processed; try again later.
    const duplicate = failure.code === 'CMN-304';
    const retryable = status === 429 || duplicate || (idempotent && (status === undefined || RETRYABLE.has(status)));
    // A 429 without Retry-After waits the docs' 30 s; other failures back off unless told how long.
    const delay = status === 429 || failure.retryAfter !== null ? retryAfterMs(failure.retryAfter, this.now()) : backoffMs(attempt);
    const reason =
      status === 429 ? 'rate limited (429)' : status === undefined ? `connection failed (${failure.message})` : `server error ${status}`;
    return { retryable, delay, reason };
  }

  /** Planned pacing is free; waits caused by failures count against --max-wait. */
  private async wait(ms: number, reason: string, counted = true): Promise<void> {
    if (ms <= 0) return;
    this.onWait?.({ ms, reason });
    if (counted) this.options.budget.spend(ms);
    await this.sleep(ms, this.options.signal);
  }
}

/**
 * The pacer's key for a request: its path with numeric ids folded to `~`, since the platform's
 * navigation links name the account and extension by number (…/account/400001751869/call-log?page=2)
 * while the first request says `~`, and each recording or message has its own id: all of them are
 * one endpoint and one rate-limit group (an unknown route would go unpaced until its first answer).
 */
export function routeKey(path: string): string {
  return new URL(path, 'http://x').pathname.replace(/\/\d+(?=\/|$)/g, '/~');
}

function giveUp(error: CliError, attempts: number, waitedMs: number): CliError {
  return new TemporaryError(
    `${error.message} (gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} and ${Math.round(waitedMs / 1000)} s of waiting)`,
    error.hint,
    error,
  );
}
