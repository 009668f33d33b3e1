import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP, type AuthorizationCode, type Context, type PendingAuthorization } from '../context.js';
import { HttpError, oauthError, readForm, redirect, sendHtml } from '../http.js';
import { PKCE_VALUE, present } from './client-auth.js';
import { consentPage, errorPage, signInPage } from './pages.js';

/**
 * GET /restapi/oauth/authorize and the sign-in and consent pages behind it, as
 * docs/authentication/*.md describes. Codes live 60 s and are single use.
 */

const CODE_TTL_SECONDS = 60;
const PENDING_TTL_MS = 10 * 60_000;

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
  sendHtml(res, 200, consentPage(requestId, APP.name, user?.name ?? email, ctx.options.scopes.join(' ')));
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
