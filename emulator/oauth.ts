import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP, type AuthorizationCode, type Context, type PendingAuthorization } from './context.js';
import { HttpError, oauthError, readForm, redirect, sendHtml, sendJson } from './http.js';
import { verifyJwt } from './jwt.js';
import { consentPage, errorPage, signInPage } from './pages.js';
import { effectiveTtls, type Session } from './sessions.js';

/**
 * /restapi/oauth/{authorize,token,revoke}, as docs/authentication/*.md and the OpenAPI spec describe.
 * Codes live 60 s and are single use; refresh tokens are single use with rotation.
 */

const CODE_TTL_SECONDS = 60;
const PENDING_TTL_MS = 10 * 60_000;
/** RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const present = (value: string | null): string | undefined => (value === null || value === '' ? undefined : value);

/** Checks what must be checked before anything is redirected to the client (RFC 6749 §4.1.2.1). */
function readAuthorizeRequest(ctx: Context, params: URLSearchParams): PendingAuthorization | HttpError {
  const clientId = present(params.get('client_id'));
  if (clientId !== APP.clientId) {
    return oauthError('invalid_client', 'OAU-120', `Wrong Application ID: ${clientId ?? '(none)'}`);
  }
  const registered = ctx.options.redirectUris;
  const asked = present(params.get('redirect_uri'));
  const redirectUri = asked ?? (registered.length === 1 ? registered[0] : undefined);
  if (!redirectUri) return oauthError('invalid_request', 'OAU-113', 'redirect_uri is required when several are registered');
  if (!registered.includes(redirectUri)) {
    return oauthError('invalid_request', 'OAU-109', `Redirect URI does not match any registered: ${redirectUri}`);
  }
  const method = present(params.get('code_challenge_method')) ?? 'plain';
  return {
    clientId,
    redirectUri,
    state: present(params.get('state')),
    codeChallenge: present(params.get('code_challenge')),
    codeChallengeMethod: method === 'S256' ? 'S256' : 'plain',
    extensionIndex: undefined,
    expiresAt: ctx.now() + PENDING_TTL_MS,
  };
}

/** Errors the client is told about by redirect (the redirect URI is already trusted). */
function redirectableError(params: URLSearchParams): [string, string] | undefined {
  if (params.get('response_type') !== 'code') {
    return ['unsupported_response_type', 'response_type must be "code"'];
  }
  const method = present(params.get('code_challenge_method'));
  if (method !== undefined && method !== 'plain' && method !== 'S256') {
    return ['invalid_request', 'code_challenge_method must be plain or S256'];
  }
  const challenge = present(params.get('code_challenge'));
  if (method !== undefined && challenge === undefined) return ['invalid_request', 'code_challenge is required'];
  if (challenge !== undefined && !PKCE_VALUE.test(challenge)) return ['invalid_request', 'code_challenge is malformed'];
  return undefined;
}

function redirectWith(res: ServerResponse, request: PendingAuthorization, values: Record<string, string>): void {
  const target = new URL(request.redirectUri);
  for (const [key, value] of Object.entries(values)) target.searchParams.append(key, value);
  if (request.state !== undefined) target.searchParams.append('state', request.state);
  redirect(res, target.toString());
}

export function handleAuthorize(ctx: Context, params: URLSearchParams, res: ServerResponse): void {
  const request = readAuthorizeRequest(ctx, params);
  if (request instanceof HttpError) {
    const [item] = request.body.errors as { errorCode: string; message: string }[];
    sendHtml(res, 400, errorPage(String(request.body.error), item?.errorCode ?? '', item?.message ?? ''));
    return;
  }
  const problem = redirectableError(params);
  if (problem) {
    redirectWith(res, request, { error: problem[0], error_description: problem[1] });
    return;
  }
  if (ctx.options.autoApprove) {
    issueCode(ctx, res, { ...request, extensionIndex: 0 });
    return;
  }
  const requestId = randomBytes(18).toString('base64url');
  ctx.pending.set(requestId, request);
  sendHtml(res, 200, signInPage(requestId, APP.name));
}

function issueCode(ctx: Context, res: ServerResponse, request: PendingAuthorization): void {
  const code = randomBytes(24).toString('base64url');
  const entry: AuthorizationCode = {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    extensionIndex: request.extensionIndex ?? 0,
    expiresAt: ctx.now() + CODE_TTL_SECONDS * 1000,
    used: false,
    session: undefined,
  };
  ctx.codes.set(code, entry);
  redirectWith(res, request, { code, expires_in: String(CODE_TTL_SECONDS) });
}

function takePending(ctx: Context, form: URLSearchParams, res: ServerResponse): [string, PendingAuthorization] | undefined {
  const requestId = form.get('rid') ?? '';
  const request = ctx.pending.get(requestId);
  if (!request || request.expiresAt <= ctx.now()) {
    sendHtml(res, 400, errorPage('invalid_request', 'OAU-102', 'This sign-in page has expired. Start again from the application.'));
    return undefined;
  }
  return [requestId, request];
}

export async function handleSignIn(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const taken = takePending(ctx, form, res);
  if (!taken) return;
  const [requestId, request] = taken;
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const login = ctx.dataset.logins.find((l) => l.email === email && l.password === form.get('password'));
  if (!login) {
    sendHtml(res, 200, signInPage(requestId, APP.name, 'Invalid email or password.'));
    return;
  }
  request.extensionIndex = login.extensionIndex;
  const user = ctx.dataset.extensions[login.extensionIndex];
  sendHtml(res, 200, consentPage(requestId, APP.name, user?.name ?? email, APP.scope));
}

export async function handleConsent(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const taken = takePending(ctx, form, res);
  if (!taken) return;
  const [requestId, request] = taken;
  if (request.extensionIndex === undefined) {
    sendHtml(res, 400, errorPage('invalid_request', 'OAU-102', 'Sign in first.'));
    return;
  }
  ctx.pending.delete(requestId);
  if (form.get('decision') === 'approve') {
    issueCode(ctx, res, request);
  } else {
    redirectWith(res, request, { error: 'access_denied', error_description: 'The user denied the authorization request' });
  }
}

interface Client {
  clientId: string;
  confidential: boolean;
}

/** client_secret_basic for confidential clients, `client_id` in the body for public ones. */
export function authenticateClient(req: IncomingMessage, form: URLSearchParams): Client {
  const header = req.headers.authorization;
  if (header) {
    const match = /^basic\s+(\S+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    if (separator < 0) throw oauthError('invalid_client', 'OAU-123', 'Invalid Authorization header value');
    const [id, secret] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
    if (id !== APP.clientId || secret !== APP.clientSecret) {
      throw oauthError('invalid_client', 'OAU-146', 'Invalid client credentials');
    }
    return { clientId: id, confidential: true };
  }
  const clientId = form.get('client_id') ?? '';
  if (clientId !== APP.clientId) {
    throw oauthError('invalid_client', 'OAU-153', `Invalid client: ${clientId}`, 400, {
      parameters: [{ parameterName: 'client_id', parameterValue: clientId }],
    });
  }
  return { clientId, confidential: false };
}

/** Who an Auth-group request counts against, before the client is authenticated. */
export function authIdentity(req: IncomingMessage, form: URLSearchParams): string {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const id = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : form.get('client_id');
  return `${id ?? ''}@${req.socket.remoteAddress ?? ''}`;
}

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
  const form = await readForm(req);
  const headers = rateHeaders(form);
  const client = authenticateClient(req, form);
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

export async function handleRevoke(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  rateHeaders: (form: URLSearchParams) => Record<string, string>,
): Promise<void> {
  const form = await readForm(req);
  const headers = rateHeaders(form);
  const client = authenticateClient(req, form);
  const token = present(form.get('token')) ?? present(query.get('token'));
  if (!token) throw oauthError('invalid_request', 'OAU-101', 'Parameter [token] is required');
  if (ctx.sessions.revoke(token, client.clientId)) ctx.stats.revocations += 1;
  res.writeHead(200, { ...headers, 'Content-Length': 0 });
  res.end();
}
