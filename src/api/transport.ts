import { CliError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { VERSION } from '../version.js';
import { HttpFailure, readFailure } from './errors.js';
import { mayCarrySession } from './origins.js';
import { type FetchApi, fetchApi } from './proxy.js';

/**
 * Sends one authenticated REST request with plain fetch and parses the JSON answer. A 401 leads
 * to at most one refresh (through the TokenSource, which owns the tokens) and one resend; every
 * other failure is thrown as it came, for the caller's retry policy (api/client.ts).
 */

/** Where the access token comes from (auth/session.ts, or a fixed token right after sign-in). */
export interface TokenSource {
  readonly server: string;
  accessToken(): Promise<string>;
  /** Called after a 401 with the token that was refused; absent = nothing to refresh. */
  refresh?(staleToken: string): Promise<void>;
  /** Where processes of the same user and app share their rate-limit budget (SharedPacing). */
  readonly pacingFile?: string | undefined;
  /** The app permissions granted (space-separated); '' or absent when not known. */
  readonly scope?: string | undefined;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
  /** Ctrl-C or --max-time: abandons the request in flight. */
  signal?: AbortSignal | undefined;
  /** Extra request headers (`api -H`); never the Authorization header, which is the session's. */
  headers?: Record<string, string> | undefined;
  /** Return a body that is not JSON as bytes (`api`: recordings, faxes) instead of refusing it. */
  raw?: boolean | undefined;
}

export interface DownloadOptions {
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

/** An opened download: its answer with the body unread; `touch` on each chunk keeps the idle timer off, `close` ends it. */
export interface OpenDownload {
  response: Response;
  touch(): void;
  close(): void;
}

/** Redirects a download follows (each hop to another origin loses the token). */
const MAX_REDIRECTS = 5;

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export class Transport {
  private http: Promise<FetchApi> | undefined;

  constructor(
    readonly source: TokenSource,
    private readonly logger: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** How long one request may take, headers to body (REQUEST_TIMEOUT_MS unless --timeout). */
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {}

  async send<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.withToken((token) => this.sendWith<T>(token, path, options));
  }

  /** Runs `attempt` with the access token; a 401 leads to one refresh and one more attempt. */
  private async withToken<R>(attempt: (token: string) => Promise<R>): Promise<R> {
    const token = await this.source.accessToken();
    try {
      return await attempt(token);
    } catch (error) {
      if (!this.source.refresh || (await readFailure(error)).status !== 401) throw error;
      await this.source.refresh(token);
      return await attempt(await this.source.accessToken());
    }
  }

  /**
   * Opens a download (media content) with its body unread. The token goes only where
   * mayCarrySession allows; redirects are followed by hand, and a hop to any other origin is sent
   * without it. `timeoutMs` bounds the wait for the answer and then each pause in the body.
   */
  async open(url: string, options: DownloadOptions = {}): Promise<OpenDownload> {
    return this.withToken((token) => this.openWith(token, url, options));
  }

  private async openWith(token: string, url: string, options: DownloadOptions): Promise<OpenDownload> {
    this.http ??= fetchApi(this.env);
    const { fetch } = await this.http;
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const carriesSession = mayCarrySession(target, this.source.server);
      const deadline = requestDeadline(this.timeoutMs, options.signal);
      // A redirect's query may hold a signature: only origin and path are logged.
      this.logger.debug(`→ GET ${target.origin}${target.pathname}${carriesSession ? '' : ' (without the session)'}`);
      const response = await fetch(target, {
        headers: {
          'X-User-Agent': `ringcentral-cli/${VERSION}`,
          ...options.headers,
          ...(carriesSession ? { Authorization: `Bearer ${token}` } : {}),
        },
        redirect: 'manual',
        signal: deadline.signal,
      }).catch((error: unknown) => {
        deadline.clear();
        if (deadline.timedOut()) throw new TypeError('fetch failed', { cause: { code: `no answer in ${this.timeoutMs / 1000} s` } });
        throw error;
      });
      this.logger.debug(`← ${response.status} ${target.origin}${target.pathname}`);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        deadline.clear();
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new CliError(`${url}: more than ${MAX_REDIRECTS} redirects`);
        target = new URL(location, target);
        continue;
      }
      if (!response.ok) {
        deadline.clear();
        throw new HttpFailure(response);
      }
      return { response, touch: deadline.restart, close: deadline.clear };
    }
  }

  private async sendWith<T>(token: string, path: string, options: RequestOptions): Promise<ApiResponse<T>> {
    this.http ??= fetchApi(this.env);
    const { fetch } = await this.http;
    const method = options.method ?? 'GET';
    const url = requestUrl(this.source.server, path, options.query);
    checkOrigin(url, this.source.server);
    const deadline = requestDeadline(this.timeoutMs, options.signal);
    const { signal } = deadline;
    this.logger.debug(`→ ${method} ${url}`);
    const response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        'X-User-Agent': `ringcentral-cli/${VERSION}`,
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
        Authorization: `Bearer ${token}`,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal,
    }).catch((error: unknown) => {
      this.logger.debug(`← network error: ${(error as Error).message}`);
      deadline.clear();
      // A request that outlived its time is a dropped connection for the retry policy, not Ctrl-C.
      if (deadline.timedOut()) throw new TypeError('fetch failed', { cause: { code: `no answer in ${this.timeoutMs / 1000} s` } });
      throw error;
    });
    this.logger.debug(`← ${response.status} ${url}`);
    if (!response.ok) {
      deadline.clear();
      // The whole body only under --debug (the error line shows 300 characters of it).
      if (this.logger.debugging)
        this.logger.debug(
          `← body: ${await response
            .clone()
            .text()
            .catch(() => '')}`,
        );
      throw new HttpFailure(response);
    }
    try {
      return { status: response.status, headers: response.headers, body: (await readBody(response, options.raw ?? false, url)) as T };
    } finally {
      deadline.clear();
    }
  }
}

/**
 * One controller for the request: aborted by the caller's signal or when `ms` pass, whichever
 * comes first; `restart` starts the `ms` again (a download's body, chunk by chunk).
 */
function requestDeadline(ms: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const start = () =>
    // Never the reason the process stays alive.
    setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms).unref();
  let timer = start();
  const forward = () => controller.abort();
  if (outer?.aborted) controller.abort();
  outer?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    restart: () => {
      clearTimeout(timer);
      timer = start();
    },
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}

/**
 * A successful answer's body: JSON parsed; anything else as bytes when the caller takes bytes,
 * else an error that is not retried (the request did succeed; sending it again would not help,
 * and for a POST could do it twice).
 */
async function readBody(response: Response, raw: boolean, url: string): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length === 0) return undefined;
  if (type.includes('json')) {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      if (!raw) throw new CliError(`${new URL(url).origin} answered ${response.status} with a body that is not valid JSON`);
    }
  }
  if (raw) return bytes;
  throw new CliError(`${new URL(url).origin} answered ${response.status} with ${type || 'an unknown type'}, not JSON`, {
    hint: 'for media and other binary answers use "ringcentral api GET PATH" (it writes the bytes as they are)',
  });
}

/** One request may take this long before it counts as a dropped connection (retried, within --max-wait). */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The session's token goes to the API server only: a link in an answer (navigation.nextPage) to
 * another scheme, host or port is refused, never followed with the token.
 */
function checkOrigin(url: string, server: string): void {
  const target = new URL(url);
  if (target.origin !== new URL(server).origin) {
    throw new CliError(`RingCentral's answer points to ${target.origin}, not ${new URL(server).origin}: not sending the session there`, {
      hint: 'a proxy or server is rewriting answers; check --server and HTTPS_PROXY',
    });
  }
}

/** `path` may be absolute (navigation links); array values repeat the key, as RingCentral expects. */
export function requestUrl(server: string, path: string, query: Record<string, unknown> | undefined): string {
  const url = new URL(path, server);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url.toString();
}
