import { ApiClient } from '../api/client.js';
import { readMe } from '../api/endpoints.js';
import { type FetchApi, fetchApi, proxyFor } from '../api/proxy.js';
import { WaitBudget } from '../api/retry.js';
import { probeGrant } from '../api/token-endpoint.js';
import { envStore } from '../auth/env-credentials.js';
import { usesEnvJwt } from '../auth/open-session.js';
import { NO_REFRESH_HINT } from '../auth/session.js';
import { hasRefreshToken, type StoredSession, sessionEnd, type TokenStore } from '../auth/token-store.js';
import { checkServerTrust } from '../config/settings.js';
import { CliError, type UsageError } from '../errors.js';
import { type CommandContext, writeJson } from './context.js';

/**
 * `ringcentral doctor`: why sign-in or exports will fail, before a cron job finds out. It reads
 * the saved profile (or the environment credentials' cache) and never changes either: no refresh,
 * no sign-in. The app's settings are probed at the token endpoint with credentials that cannot be
 * valid (two Auth-group requests), the user's with two light REST calls on the saved token.
 */

export type CheckState = 'ok' | 'warn' | 'fail';

export interface Check {
  check: string;
  state: CheckState;
  detail: string;
  hint?: string;
}

const REQUIRED_SCOPES = ['ReadAccounts', 'ReadCallLog'];

const ok = (check: string, detail: string): Check => ({ check, state: 'ok', detail });
const warn = (check: string, detail: string, hint?: string): Check => ({ check, state: 'warn', detail, ...(hint ? { hint } : {}) });
const fail = (check: string, detail: string, hint?: string): Check => ({ check, state: 'fail', detail, ...(hint ? { hint } : {}) });

export async function collectChecks(ctx: CommandContext, now = Date.now()): Promise<Check[]> {
  const { settings } = ctx;
  const server = settings.server.value;
  try {
    checkServerTrust(settings);
  } catch (error) {
    return [fail('server', (error as UsageError).message, (error as UsageError).hint)];
  }
  const http = await fetchApi(ctx.io.env);
  const proxy = proxyFor(new URL(server), ctx.io.env);
  const checks: Check[] = [ok('proxy', proxy ? `requests go through ${proxy}` : 'none (direct)')];
  const reachable = await reach(server, http);
  checks.push(reachable);
  if (reachable.state === 'fail') return checks;
  const clientId = settings.clientId.value;
  if (!clientId) return [...checks, fail('client id', 'not set', 'set RC_CLIENT_ID (environment or .env) or pass --client-id at login')];
  checks.push(ok('client id', `${clientId} (from ${settings.clientId.source})`));
  const viaJwt = usesEnvJwt(settings) || readStored(ctx.store)?.grant === 'jwt';
  checks.push(...(await appChecks(ctx, http, clientId, viaJwt)));
  checks.push(...(await sessionChecks(ctx, now)));
  return checks;
}

async function reach(server: string, http: FetchApi): Promise<Check> {
  try {
    const response = await http.fetch(`${server}/restapi/v1.0`, { signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return ok('server', `${server} answered (HTTP ${response.status})`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return fail('server', `${server} cannot be reached (${cause})`, 'check the network, HTTPS_PROXY and --server');
  }
}

/** Secret, client authentication and the grants, from the token endpoint's answers to two probes. */
async function appChecks(ctx: CommandContext, http: FetchApi, clientId: string, viaJwt: boolean): Promise<Check[]> {
  const { settings } = ctx;
  const app = {
    server: settings.server.value,
    clientId,
    clientSecret: settings.clientSecret.value,
    redirectUri: settings.redirectUri.value,
  };
  const secret = settings.clientSecret.value
    ? ok('client secret', `set (from ${settings.clientSecret.source})`)
    : viaJwt
      ? fail('client secret', 'not set, and a JWT sign-in always needs it', 'set RC_CLIENT_SECRET (environment or .env)')
      : ok('client secret', 'not set: right for a client-side app (PKCE); a server-side app needs RC_CLIENT_SECRET');
  const checks = [secret];
  for (const grant of ['authorization_code', 'jwt'] as const) {
    const used = grant === 'jwt' ? viaJwt : !viaJwt;
    const name = grant === 'jwt' ? 'JWT sign-in' : 'browser sign-in';
    const { outcome, message } = await probeGrant(app, grant, http);
    if (outcome === 'accepted') checks.push(ok(name, 'the app and this flow are accepted'));
    else if (outcome === 'invalid_client') {
      const hint = settings.clientSecret.value
        ? 'check that RC_CLIENT_ID and RC_CLIENT_SECRET are the same app’s'
        : 'a server-side web app must send its secret: set RC_CLIENT_SECRET';
      checks.push((used ? fail : warn)(name, `the app was refused: ${message}`, hint));
    } else if (outcome === 'unauthorized_client') {
      const flow = grant === 'jwt' ? 'JWT' : 'authorization code';
      const detail = `the ${flow} flow is not enabled for this app${used ? '' : ' (not needed for how you sign in)'}`;
      checks.push((used ? fail : warn)(name, detail, `enable it: Developer Console > your app > Settings > Auth`));
    } else checks.push(fail(name, `unexpected answer: ${outcome} ${message}`));
  }
  return checks;
}

function readStored(store: TokenStore): StoredSession | undefined {
  try {
    return store.read();
  } catch {
    return undefined;
  }
}

/** What the saved session says, and what the user may do, asked with its current token only. */
async function sessionChecks(ctx: CommandContext, now: number): Promise<Check[]> {
  const store = usesEnvJwt(ctx.settings) ? await envStore(ctx.settings) : ctx.store;
  const stored = readStored(store);
  if (!stored) {
    return [fail('signed in', `no saved session (${store.path})`, 'run "ringcentral login" (or any command, with RC_JWT set)')];
  }
  const ends = sessionEnd(stored.tokens);
  const checks: Check[] = [
    ok('signed in', `${stored.user.name} (extension ${stored.user.extensionNumber}), account ${stored.user.accountId}`),
  ];
  if (hasRefreshToken(stored.tokens)) checks.push(ok('refresh tokens', 'issued: the session renews itself'));
  else if (stored.jwt !== undefined || usesEnvJwt(ctx.settings))
    checks.push(ok('refresh tokens', 'not issued; the JWT signs in again when an access token ends'));
  else checks.push(fail('refresh tokens', 'not issued: a browser sign-in lasts about an hour', NO_REFRESH_HINT));
  const endsAt = new Date(ends).toISOString();
  checks.push(
    ends > now || stored.jwt !== undefined
      ? ok('session expiry', endsAt)
      : fail('session expiry', `ended at ${endsAt}`, 'run "ringcentral login"'),
  );
  const scopes = stored.tokens.scope.split(' ').filter(Boolean);
  const missing = REQUIRED_SCOPES.filter((scope) => !scopes.includes(scope));
  checks.push(
    missing.length === 0
      ? ok('app permissions', scopes.join(', '))
      : fail('app permissions', `missing ${missing.join(', ')}`, "add them in the app's settings (Developer Console), then sign in again"),
  );
  if (stored.tokens.expire_time <= now) {
    checks.push(warn('user permissions', 'not checked: the saved access token has expired (any other command renews it)'));
    return checks;
  }
  return [...checks, ...(await userChecks(ctx, stored))];
}

/** FullCompanyCallLog and the rate-limit headroom, with the saved token and no retries. */
async function userChecks(ctx: CommandContext, stored: StoredSession): Promise<Check[]> {
  const seen = new Map<string, string>();
  const client = new ApiClient(
    { server: stored.server, accessToken: async () => stored.tokens.access_token },
    { budget: new WaitBudget(0), maxAttempts: 1, logger: ctx.logger, env: ctx.io.env, onResponse: (headers) => remember(seen, headers) },
  );
  try {
    await readMe(client);
    const company = await client.get<{ successful?: boolean }>('/restapi/v1.0/account/~/extension/~/authz-profile/check', {
      permissionId: 'FullCompanyCallLog',
    });
    const checks = [
      company.successful
        ? ok('company call log', 'FullCompanyCallLog: call-log exports the whole company by default')
        : warn(
            'company call log',
            "no FullCompanyCallLog: call-log exports this user's own calls",
            'for the whole company, an admin grants the user the FullCompanyCallLog permission',
          ),
    ];
    return [...checks, headroom(seen)];
  } catch (error) {
    return [fail('user permissions', `RingCentral refused the saved session: ${(error as Error).message}`, 'run "ringcentral login"')];
  }
}

function remember(seen: Map<string, string>, headers: Headers): void {
  const group = headers.get('x-rate-limit-group');
  if (group)
    seen.set(
      group,
      `${headers.get('x-rate-limit-remaining')}/${headers.get('x-rate-limit-limit')} left per ${headers.get('x-rate-limit-window')} s`,
    );
}

function headroom(seen: Map<string, string>): Check {
  if (seen.size === 0) return ok('rate limits', 'no X-Rate-Limit headers in the answers');
  const low = [...seen].filter(([, text]) => {
    const [left, limit] = text.split(/[/ ]/).map(Number);
    return (left ?? 0) < (limit ?? 0) / 5;
  });
  const detail = [...seen].map(([group, text]) => `${group} ${text}`).join('; ');
  return low.length
    ? warn('rate limits', detail, 'other programs of this user and app are using most of the limit')
    : ok('rate limits', detail);
}

const MARK: Record<CheckState, string> = { ok: '✓', warn: '!', fail: '✗' };

export function formatChecks(checks: readonly Check[], json: boolean): string {
  if (json) return `${JSON.stringify(checks, null, 2)}\n`;
  return checks
    .map((c) => `${MARK[c.state]} ${`${c.check}:`.padEnd(18)} ${c.detail}${c.hint ? `\n  ${''.padEnd(18)} hint: ${c.hint}` : ''}\n`)
    .join('');
}

/** Prints the checks; exit 1 when any failed (warnings do not fail). */
export async function doctor(ctx: CommandContext, options: { json?: boolean; jq?: string }): Promise<Check[]> {
  const checks = await collectChecks(ctx);
  await writeJson(ctx, formatChecks(checks, options.json === true || options.jq !== undefined), options.jq);
  const failed = checks.filter((c) => c.state === 'fail').length;
  if (failed > 0) {
    throw new CliError(`doctor: ${failed} ${failed === 1 ? 'check' : 'checks'} failed`, { hint: 'see the hints above' });
  }
  return checks;
}
