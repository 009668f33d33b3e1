import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP, type AuthorizationCode, type Context } from '../context.js';
import { oauthError, sendJson } from '../http.js';
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
  const session = ctx.sessions.create(client.clientId, entry.extensionIndex, APP.scope);
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

function refreshSession(ctx: Context, client: Client, form: URLSearchParams): Session {
  const result = ctx.sessions.consumeRefreshToken(form.get('refresh_token') ?? '', client.clientId, ctx.now());
  if ('session' in result) return result.session;
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
  return ctx.sessions.create(client.clientId, extension.index, APP.scope);
}

export async function handleToken(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  rateHeaders: (form: URLSearchParams) => Record<string, string>,
): Promise<void> {
  const { form, headers, client } = await readClientForm(req, rateHeaders);
  const grantType = form.get('grant_type') ?? '';
  let session: Session;
  let grant: keyof Context['stats']['tokenGrants'];
  if (grantType === 'authorization_code') {
    [session, grant] = [exchangeCode(ctx, client, form), 'authorization_code'];
  } else if (grantType === 'refresh_token') {
    [session, grant] = [refreshSession(ctx, client, form), 'refresh_token'];
  } else if (grantType === JWT_GRANT) {
    [session, grant] = [sessionFromJwt(ctx, client, form), 'jwt-bearer'];
  } else if (grantType === 'password' || grantType === 'client_credentials') {
    throw oauthError('unauthorized_client', 'OAU-251', 'Unauthorized for this grant type');
  } else {
    throw oauthError('unsupported_grant_type', 'OAU-125', `Unsupported grant type: ${grantType}`);
  }
  const ttls = effectiveTtls(
    { access: ctx.options.accessTokenTtl, refresh: ctx.options.refreshTokenTtl },
    { access: form.get('access_token_ttl'), refresh: form.get('refresh_token_ttl') },
  );
  const owner = ctx.dataset.extensions[session.extensionIndex];
  const body = ctx.sessions.issue(session, String(owner?.id ?? ''), ttls, ctx.now());
  ctx.stats.tokenGrants[grant] += 1;
  sendJson(res, 200, body, { ...headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}
