import { AuthError, CliError, PermissionError, TemporaryError } from '../errors.js';

/** Reading what RingCentral said when a request failed, and turning it into the one line a user sees. */

/** A non-2xx answer, thrown by our transport; the SDK's own errors carry `response` the same way. */
export class HttpFailure extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

interface ErrorBody {
  error?: string;
  error_description?: string;
  errorCode?: string;
  message?: string;
  errors?: { errorCode?: string; message?: string; permissionName?: string }[];
}

/** What RingCentral said: status, codes and message (status undefined: no answer at all). */
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
    message: shortened(String(body.error_description ?? first?.message ?? body.message ?? `${response.status} ${response.statusText}`)),
    permission: first?.permissionName,
    html,
    retryAfter: response.headers.get('retry-after'),
  };
}

/** What a server says is shown up to this long (a hostile one may send megabytes); --debug logs it all. */
const MESSAGE_LIMIT = 300;

function shortened(message: string): string {
  return message.length <= MESSAGE_LIMIT
    ? message
    : `${message.slice(0, MESSAGE_LIMIT)}… (${message.length - MESSAGE_LIMIT} more characters)`;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Maps a failure to the one-line error the user sees, with the documented exit code. */
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
  if (failure.status === 403) return new PermissionError(`permission denied: ${detail}`, failure.permission, undefined, error);
  if (failure.status === 429 || failure.status >= 500) {
    return new TemporaryError(`RingCentral is unavailable right now: ${failure.status} ${detail}`, 'try again in a minute', error);
  }
  return new CliError(`RingCentral refused the request: ${failure.status} ${detail}`, { cause: error });
}
