import type { SDK } from '@ringcentral/sdk';
import { AuthError, CliError, TemporaryError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { VERSION } from '../version.js';
import { fetchApi } from './proxy.js';

/** The SDK, configured for a CLI: global fetch, no silent cache wipes, no refresh behind our back. */

export type Platform = ReturnType<SDK['platform']>;

export interface PlatformOptions {
  server: string;
  clientId: string;
  clientSecret?: string | undefined;
  redirectUri?: string;
  logger: Logger;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { SDK } = await import('@ringcentral/sdk');
  const http = await fetchApi();
  const sdk = new SDK({
    server: options.server,
    clientId: options.clientId,
    clientSecret: options.clientSecret ?? '',
    redirectUri: options.redirectUri ?? '',
    appName: 'ringcentral-cli',
    appVersion: VERSION,
    clearCacheOnRefreshError: false,
    refreshDelayMs: 0,
    handleRateLimit: false,
    fetch: http.fetch as never,
    Request: http.Request as never,
    Response: http.Response as never,
    Headers: http.Headers as never,
  });
  const platform = sdk.platform();
  // Refresh is ours: proactive, under a cross-process lock (auth/session.ts).
  platform.ensureLoggedIn = async () => null;
  const client = sdk.client();
  client.on(client.events.beforeRequest, (request: Request) => options.logger.debug(`→ ${request.method} ${request.url}`));
  client.on(client.events.requestSuccess, (response: Response) => options.logger.debug(`← ${response.status} ${response.url}`));
  client.on(client.events.requestError, (error: { response?: Response; message: string }) =>
    options.logger.debug(`← ${error.response ? `${error.response.status} ${error.response.url}` : `network error: ${error.message}`}`),
  );
  return platform;
}

interface ErrorBody {
  error?: string;
  error_description?: string;
  errorCode?: string;
  message?: string;
  errors?: { errorCode?: string; message?: string; permissionName?: string }[];
}

/** What RingCentral said, read from an SDK error: status, codes and message. */
export interface ApiFailure {
  status: number | undefined;
  error: string | undefined;
  code: string | undefined;
  message: string;
  permission: string | undefined;
  html: boolean;
  retryAfter: string | null;
}

export async function readFailure(error: unknown): Promise<ApiFailure> {
  const response = (error as { response?: Response }).response;
  if (!response) {
    return {
      status: undefined,
      error: undefined,
      code: undefined,
      message: networkReason(error),
      permission: undefined,
      html: false,
      retryAfter: null,
    };
  }
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  let body: ErrorBody = {};
  let html = false;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    html = /^\s*</.test(text);
  }
  const first = body.errors?.[0];
  return {
    status: response.status,
    error: body.error,
    code: first?.errorCode ?? body.errorCode,
    message: body.error_description ?? first?.message ?? body.message ?? `${response.status} ${response.statusText}`,
    permission: first?.permissionName,
    html,
    retryAfter: response.headers.get('retry-after'),
  };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Maps an SDK failure to the one-line error the user sees, with the documented exit code. */
export async function toCliError(error: unknown, server: string): Promise<CliError> {
  if (error instanceof CliError) return error;
  const failure = await readFailure(error);
  if (failure.status === undefined) {
    return new TemporaryError(
      `cannot reach ${server}: ${failure.message}`,
      'check your network connection, proxy settings and --server',
      error,
    );
  }
  if (failure.html) {
    return new TemporaryError(
      `${server} answered ${failure.status} with an HTML page instead of RingCentral's JSON`,
      'a proxy, VPN or captive portal may be in the way (check HTTPS_PROXY)',
      error,
    );
  }
  const detail = `${failure.message}${failure.code ? ` (${failure.code})` : ''}`;
  if (failure.status === 401) return new AuthError(`RingCentral rejected the session: ${detail}`);
  if (failure.status === 403) {
    return new CliError(`permission denied: ${detail}`, {
      hint: failure.permission ? `the app or user needs the ${failure.permission} permission` : undefined,
      cause: error,
    });
  }
  if (failure.status === 429 || failure.status >= 500) {
    return new TemporaryError(`RingCentral is unavailable right now: ${failure.status} ${detail}`, 'try again in a minute', error);
  }
  return new CliError(`RingCentral refused the request: ${failure.status} ${detail}`, { cause: error });
}
