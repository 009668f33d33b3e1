import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationCode, Context } from '../context.js';
import { oauthError, sendJson } from '../http.js';
import type { AppGrant } from '../options.js';
import { type Client, PKCE_VALUE, readClientForm } from './client-auth.js';
import { verifyJwt } from './jwt.js';
import { effectiveTtls, type Session } from './sessions.js';

/** POST /restapi/oauth/token: code (+PKCE), refresh (single use, rotated) and JWT grants. */

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function exchangeCode(ctx: Context, client: Client, form: URLSearchParams): Session {
  const code = form.get('code') ?? '';
  const entry = ctx.codes.get(code);
  if (!entry) throw oauthError('invalid_grant', 'OAU-106', 'Invalid authorization code');
  if (entry.used) {
    // RFC 6749 §4.1.2: a code used twice revokes what was issued for it.
    if (entry.session) ctx.sessions.end(entry.session);
    throw oauthError('invalid_grant', 'OAU-106', 'Invalid authorization code');
  }
  if (entry.clientId !== client.clientId) {
    throw oauthError('invalid_grant', 'OAU-110', 'Authorization code was not issued for this application');
  }
  entry.used = true;
  if (entry.expiresAt <= ctx.now()) throw oauthError('invalid_grant', 'OAU-108', 'Authorization code is expired');
  if ((form.get('redirect_uri') ?? '') !== entry.redirectUri) {
    throw oauthError('invalid_grant', 'OAU-109', 'Redirect URIs do not match');
  }
  checkVerifier(entry, client, form.get('code_verifier'));
  const session = ctx.sessions.create(client.clientId, entry.extensionIndex, appScope(ctx), ctx.now());
  entry.session = session;
  return session;
}

function checkVerifier(entry: AuthorizationCode, client: Client, verifier: string | null): void {
  if (entry.codeChallenge === undefined) {
    if (!client.confidential) {
      throw oauthError('invalid_client', 'OAU-146', 'Client authentication or PKCE is required to redeem this code');
    }
    return;
  }
  if (!verifier || !PKCE_VALUE.test(verifier)) {
    throw oauthError('invalid_grant', 'OAU-106', 'Invalid authorization code: code_verifier is missing or malformed');
  }
  const computed = entry.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  if (computed !== entry.codeChallenge) {
    throw oauthError('invalid_grant', 'OAU-106', 'Invalid authorization code: code_verifier does not match');
  }
}

function refreshSession(ctx: Context, client: Client, form: URLSearchParams): Session | { replay: Record<string, unknown> } {
  const result = ctx.sessions.consumeRefreshToken(form.get('refresh_token') ?? '', client.clientId, ctx.now());
  if ('session' in result) return result.session;
  if ('replay' in result) return result;
  if (result.error === 'expired') throw oauthError('invalid_grant', 'OAU-210', 'Token expired');
  if (result.error === 'client') throw oauthError('invalid_grant', 'OAU-120', 'Wrong Application ID');
  throw oauthError('invalid_grant', 'OAU-213', 'Token not found');
}

function sessionFromJwt(ctx: Context, client: Client, form: URLSearchParams): Session {
  const check = verifyJwt(form.get('assertion') ?? '', ctx.jwtSecret, ctx.now());
  if (!check.ok) {
    if (check.reason === 'expired') throw oauthError('invalid_grant', 'OAU-210', 'JWT token expired');
    if (check.reason === 'malformed') throw oauthError('invalid_grant', 'OAU-149', 'Unparsable JWT token');
    throw oauthError('invalid_grant', 'OAU-140', 'Invalid resource owner credentials');
  }
  const extension = ctx.dataset.extensionById(check.claims.sub);
  if (!extension) throw oauthError('invalid_grant', 'OAU-136', 'Extension not found');
  return ctx.sessions.create(client.clientId, extension.index, appScope(ctx), ctx.now());
}

/** The app's permissions, as token responses and the consent page show them. */
export function appScope(ctx: Context): string {
  return ctx.options.scopes.join(' ');
}

const GRANTS: Record<string, { grant: keyof Context['stats']['tokenGrants']; enabledBy?: AppGrant }> = {
  authorization_code: { grant: 'authorization_code', enabledBy: 'authorization_code' },
  refresh_token: { grant: 'refresh_token' },
  [JWT_GRANT]: { grant: 'jwt-bearer', enabledBy: 'jwt' },
};

/** The grant the request asks for, if the app may use it ("Unauthorized for grant type" otherwise). */
function allowedGrant(ctx: Context, client: Client, grantType: string): keyof Context['stats']['tokenGrants'] {
  const known = GRANTS[grantType];
  if (!known) {
    if (grantType === 'password' || grantType === 'client_credentials') {
      throw oauthError('unauthorized_client', 'OAU-251', 'Unauthorized for this grant type');
    }
    throw oauthError('unsupported_grant_type', 'OAU-125', `Unsupported grant type: ${grantType}`);
  }
  if (known.enabledBy && !ctx.options.appGrants.includes(known.enabledBy)) {
    throw oauthError('unauthorized_client', 'OAU-251', 'Unauthorized for this grant type');
  }
  // "Every app without exception must present its client ID and secret" for a JWT.
  if (known.grant === 'jwt-bearer' && !client.confidential) {
    throw oauthError('invalid_client', 'OAU-123', 'Client authentication is required', 401);
  }
  return known.grant;
}

export async function handleToken(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  rateHeaders: (form: URLSearchParams) => Record<string, string>,
): Promise<void> {
  const { form, headers, client } = await readClientForm(ctx, req, rateHeaders);
  const grant = allowedGrant(ctx, client, form.get('grant_type') ?? '');
  const noStore = { ...headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  const session =
    grant === 'authorization_code'
      ? exchangeCode(ctx, client, form)
      : grant === 'refresh_token'
        ? refreshSession(ctx, client, form)
        : sessionFromJwt(ctx, client, form);
  if ('replay' in session) {
    ctx.stats.tokenGrants.refresh_token += 1;
    sendJson(res, 200, session.replay, noStore);
    return;
  }
  const ttls = effectiveTtls(
    { access: ctx.options.accessTokenTtl, refresh: ctx.options.refreshTokenTtl },
    { access: form.get('access_token_ttl'), refresh: form.get('refresh_token_ttl') },
  );
  const owner = ctx.dataset.extensions[session.extensionIndex];
  const body = ctx.sessions.issue(session, String(owner?.id ?? ''), ttls, ctx.now());
  if (grant === 'refresh_token') ctx.sessions.rememberSpent(form.get('refresh_token') ?? '', session, body, ctx.now());
  ctx.stats.tokenGrants[grant] += 1;
  sendJson(res, 200, body, noStore);
}
