import { CliError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import { HttpFailure, readFailure } from './errors.js';
import { retryAfterMs } from './pacer.js';
import type { AppCredentials } from './platform.js';
import type { FetchApi } from './proxy.js';
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

/**
 * Asks the token endpoint whether the app may use a grant, without signing anyone in: a request
 * with the app's real client authentication and a credential that cannot be valid. `invalid_grant`
 * means the app and the grant were accepted (only the credential was refused); `invalid_client` and
 * `unauthorized_client` are about the app's settings. Counts against the Auth group, like a sign-in.
 */
export async function probeGrant(
  app: AppCredentials,
  grant: 'authorization_code' | 'jwt',
  http: FetchApi,
): Promise<{ outcome: 'accepted' | string; message: string }> {
  const form: Record<string, string> =
    grant === 'jwt'
      ? { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'doctor.probe.invalid' }
      : { grant_type: 'authorization_code', code: 'doctor-probe-invalid', redirect_uri: app.redirectUri ?? '' };
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (app.clientSecret) headers.Authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
  else form.client_id = app.clientId;
  const response = await http.fetch(`${app.server}/restapi/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
  const failure = await readFailure(new HttpFailure(response));
  if (response.ok || failure.error === 'invalid_grant') return { outcome: 'accepted', message: failure.message };
  return { outcome: failure.error ?? `HTTP ${response.status}`, message: failure.message };
}
