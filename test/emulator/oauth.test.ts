import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/context.js';
import {
  apiGet,
  authorizeViaForms,
  BASIC,
  jwtLogin,
  pkcePair,
  postForm,
  REDIRECT_URI,
  stats,
  type Tokens,
  useEmulator,
} from '../helpers/emulator.js';

/** The README's app: server-side (confidential, HTTP Basic everywhere). */
const emulator = await useEmulator();
/** A client-side (public) app: no secret, client_id in the body, PKCE required. */
const publicApp = await useEmulator({ appType: 'client-side' });
const TOKEN_URL = `${emulator.url}/restapi/oauth/token`;

function exchange(
  code: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
  target = emulator,
): Promise<Response> {
  return postForm(
    `${target.url}/restapi/oauth/token`,
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...extra },
    headers,
  );
}

/** A code exchange by the public app, with client_id in the body. */
function publicExchange(code: string, extra: Record<string, string> = {}): Promise<Response> {
  return exchange(code, { client_id: APP.clientId, ...extra }, {}, publicApp);
}

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: string; errors: { errorCode: string }[] };
  return `${res.status} ${body.error} ${body.errors[0]?.errorCode}`;
}

describe('authorize', () => {
  it('redirects with code, state and expires_in=60 after sign-in and consent', async () => {
    const { challenge } = pkcePair();
    const redirect = await authorizeViaForms(emulator, { state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal(`${redirect.origin}${redirect.pathname}`, REDIRECT_URI);
    assert.match(redirect.searchParams.get('code') ?? '', /^[\w-]{20,}$/);
    assert.equal(redirect.searchParams.get('state'), 'xyz');
    assert.equal(redirect.searchParams.get('expires_in'), '60');
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const redirect = await authorizeViaForms(emulator, { state: 's1' }, 'deny');
    assert.equal(redirect.searchParams.get('error'), 'access_denied');
    assert.ok(redirect.searchParams.get('error_description'));
    assert.equal(redirect.searchParams.get('state'), 's1');
    assert.equal(redirect.searchParams.get('code'), null);
  });

  it('a wrong password shows the form again with an error', async () => {
    await assert.rejects(
      authorizeViaForms(emulator, {}, 'approve', { email: 'demo@example.com', password: 'nope' }),
      /did not reach the consent page/,
    );
  });

  it('never redirects to an unregistered redirect URI or for an unknown client', async () => {
    for (const query of [
      { response_type: 'code', client_id: APP.clientId, redirect_uri: 'http://evil.example/cb' },
      { response_type: 'code', client_id: 'someone-else', redirect_uri: REDIRECT_URI },
      { response_type: 'code', client_id: APP.clientId, redirect_uri: 'http://localhost:5000/oauth2callback/' },
    ]) {
      const res = await fetch(`${emulator.url}/restapi/oauth/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /id="error"/);
    }
  });

  it('tolerates the empty parameters the SDK sends', async () => {
    const query =
      'response_type=code&redirect_uri=&client_id=emulator-client-id&state=&brand_id=&display=&prompt=&ui_options=&ui_locales=&localeId=';
    const res = await fetch(`${emulator.url}/restapi/oauth/authorize?${query}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /id="sign-in"/);
  });

  it('reports a bad response_type or challenge method to the client by redirect', async () => {
    const base = { client_id: APP.clientId, redirect_uri: REDIRECT_URI, state: 'k' };
    for (const [query, error] of [
      [{ ...base, response_type: 'token' }, 'unsupported_response_type'],
      [{ ...base, response_type: 'code', code_challenge: pkcePair().challenge, code_challenge_method: 'S512' }, 'invalid_request'],
    ] as const) {
      const res = await fetch(`${emulator.url}/restapi/oauth/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('error'), error);
      assert.equal(location.searchParams.get('state'), 'k');
    }
  });
});

describe('authorization_code grant', () => {
  it('PKCE S256: the right verifier gets tokens, public client with client_id in the body', async () => {
    const { verifier, challenge } = pkcePair('S256');
    const code =
      (await authorizeViaForms(publicApp, { code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    const res = await publicExchange(code, { code_verifier: verifier });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as Tokens;
    assert.equal((await apiGet(publicApp, '/restapi/v1.0/account/~/extension/~', tokens.access_token)).status, 200);
  });

  it('PKCE S256: a wrong verifier is invalid_grant and burns the code', async () => {
    const { verifier, challenge } = pkcePair('S256');
    const code =
      (await authorizeViaForms(publicApp, { code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    assert.equal(await errorCode(await publicExchange(code, { code_verifier: pkcePair().verifier })), '400 invalid_grant OAU-106');
    assert.equal(await errorCode(await publicExchange(code, { code_verifier: verifier })), '400 invalid_grant OAU-106');
  });

  it('PKCE plain is the default method when code_challenge_method is omitted', async () => {
    const { verifier, challenge } = pkcePair('plain');
    const code = (await authorizeViaForms(publicApp, { code_challenge: challenge })).searchParams.get('code') ?? '';
    const res = await publicExchange(code, { code_verifier: verifier });
    assert.equal(res.status, 200);
  });

  it('codes are single use, and reuse revokes the session issued for them', async () => {
    const { verifier, challenge } = pkcePair();
    const code =
      (await authorizeViaForms(publicApp, { code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    const first = await publicExchange(code, { code_verifier: verifier });
    const tokens = (await first.json()) as Tokens;
    assert.equal(await errorCode(await publicExchange(code, { code_verifier: verifier })), '400 invalid_grant OAU-106');
    assert.equal((await apiGet(publicApp, '/restapi/v1.0/account/~', tokens.access_token)).status, 401);
  });

  it('the redirect_uri must match the authorize request', async () => {
    const { verifier, challenge } = pkcePair();
    const code =
      (await authorizeViaForms(publicApp, { code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    const res = await publicExchange(code, { code_verifier: verifier, redirect_uri: 'http://localhost:5001/oauth2callback' });
    assert.equal(await errorCode(res), '400 invalid_grant OAU-109');
  });

  it('confidential clients use Basic auth; a wrong secret is invalid_client', async () => {
    const code = (await authorizeViaForms(emulator, {})).searchParams.get('code') ?? '';
    const wrong = `Basic ${Buffer.from(`${APP.clientId}:nope`).toString('base64')}`;
    assert.equal(await errorCode(await exchange(code, {}, { Authorization: wrong })), '400 invalid_client OAU-146');
    const code2 = (await authorizeViaForms(emulator, {})).searchParams.get('code') ?? '';
    assert.equal((await exchange(code2, {}, { Authorization: BASIC })).status, 200);
  });

  it('a public client cannot redeem a code issued without PKCE', async () => {
    const code = (await authorizeViaForms(publicApp, {})).searchParams.get('code') ?? '';
    assert.equal(await errorCode(await publicExchange(code)), '400 invalid_client OAU-146');
  });

  it('a server-side app must authenticate: PKCE and client_id alone are 401 invalid_client OAU-123', async () => {
    const { verifier, challenge } = pkcePair('S256');
    const code =
      (await authorizeViaForms(emulator, { code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    assert.equal(await errorCode(await exchange(code, { code_verifier: verifier, client_id: APP.clientId })), '401 invalid_client OAU-123');
  });

  it('a client-side app has no secret: Basic is refused, and it cannot use the JWT grant', async () => {
    const code = (await authorizeViaForms(publicApp, {})).searchParams.get('code') ?? '';
    assert.equal(await errorCode(await exchange(code, {}, { Authorization: BASIC }, publicApp)), '401 invalid_client OAU-146');
    const jwt = await postForm(`${publicApp.url}/restapi/oauth/token`, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: publicApp.jwt,
      client_id: APP.clientId,
    });
    assert.equal(await errorCode(jwt), '401 invalid_client OAU-123');
  });

  it('codes expire after 60 seconds', async (t) => {
    const code = (await authorizeViaForms(emulator, {})).searchParams.get('code') ?? '';
    const realNow = emulator.context.now;
    emulator.context.now = () => realNow() + 61_000;
    t.after(() => {
      emulator.context.now = realNow;
    });
    assert.equal(await errorCode(await exchange(code, {}, { Authorization: BASIC })), '400 invalid_grant OAU-108');
  });

  it('form bodies only, and no duplicated parameters', async () => {
    const json = await fetch(TOKEN_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: BASIC },
      body: '{}',
    });
    assert.equal(json.status, 415);
    const dup = await fetch(TOKEN_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BASIC },
      body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b',
    });
    assert.equal(await errorCode(dup), '400 invalid_request OAU-111');
  });

  it('the password grant is refused', async () => {
    const res = await postForm(
      TOKEN_URL,
      { grant_type: 'password', username: 'demo@example.com', password: 'demo-password' },
      { Authorization: BASIC },
    );
    assert.equal(await errorCode(res), '400 unauthorized_client OAU-251');
  });
});

describe('refresh_token grant', () => {
  it('rotates: the new pair works, the old refresh and access tokens die', async () => {
    const tokens = await jwtLogin(emulator);
    const res = await postForm(TOKEN_URL, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { Authorization: BASIC });
    assert.equal(res.status, 200);
    const fresh = (await res.json()) as Tokens;
    assert.notEqual(fresh.refresh_token, tokens.refresh_token);
    assert.equal(fresh.session_id, tokens.session_id);
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', fresh.access_token)).status, 200);
    const old = await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token);
    assert.equal(old.status, 401);
    const again = await postForm(TOKEN_URL, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { Authorization: BASIC });
    assert.equal(await errorCode(again), '400 invalid_grant OAU-213');
  });

  it('clamps requested TTLs the way RingCentral documents (600..3600 s)', async () => {
    const tokens = await jwtLogin(emulator);
    const res = await postForm(
      TOKEN_URL,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, access_token_ttl: '-1', refresh_token_ttl: '604800' },
      { Authorization: BASIC },
    );
    // Lifetimes are reported a second short, as the platform's are (3599, 604799).
    assert.equal(((await res.json()) as Tokens).expires_in, 599);
  });

  it('an expired refresh token is invalid_grant OAU-210', async (t) => {
    const tokens = await jwtLogin(emulator);
    const realNow = emulator.context.now;
    emulator.context.now = () => realNow() + 604_801_000;
    t.after(() => {
      emulator.context.now = realNow;
    });
    const res = await postForm(TOKEN_URL, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { Authorization: BASIC });
    assert.equal(await errorCode(res), '400 invalid_grant OAU-210');
  });
});

describe('JWT grant, revoke and token expiry', () => {
  it('a tampered or malformed JWT is refused', async () => {
    const [header, payload] = emulator.jwt.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const [assertion, code] of [
      [tampered, 'OAU-140'],
      ['not-a-jwt', 'OAU-149'],
    ]) {
      const res = await postForm(
        TOKEN_URL,
        { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: assertion ?? '' },
        { Authorization: BASIC },
      );
      assert.equal(await errorCode(res), `400 invalid_grant ${code}`);
    }
  });

  it('revoke with the access token ends the whole session', async () => {
    const before = await stats(emulator);
    const tokens = await jwtLogin(emulator);
    const res = await postForm(`${emulator.url}/restapi/oauth/revoke`, { token: tokens.access_token }, { Authorization: BASIC });
    assert.equal(res.status, 200);
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token)).status, 401);
    const refresh = await postForm(
      TOKEN_URL,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      { Authorization: BASIC },
    );
    assert.equal(refresh.status, 400);
    const after = await stats(emulator);
    assert.equal(after.revocations, Number(before.revocations) + 1);
    assert.equal(after.activeSessions, before.activeSessions);
  });

  it('revoke needs client authentication and a token', async () => {
    assert.equal(await errorCode(await postForm(`${emulator.url}/restapi/oauth/revoke`, { token: 'x' })), '401 invalid_client OAU-123');
    assert.equal(
      await errorCode(await postForm(`${emulator.url}/restapi/oauth/revoke`, { token: 'x', client_id: APP.clientId })),
      '401 invalid_client OAU-123',
    );
    assert.equal(
      await errorCode(await postForm(`${emulator.url}/restapi/oauth/revoke`, {}, { Authorization: BASIC })),
      '400 invalid_request OAU-101',
    );
    assert.equal(
      await errorCode(await postForm(`${publicApp.url}/restapi/oauth/revoke`, { client_id: APP.clientId })),
      '400 invalid_request OAU-101',
    );
  });

  it('expire-tokens makes every issued access token answer 401 OAU-128 until refreshed', async () => {
    const tokens = await jwtLogin(emulator);
    await fetch(`${emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
    const res = await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token);
    assert.equal(res.status, 401);
    const body = (await res.json()) as { errorCode: string; errors: { errorCode: string }[] };
    assert.equal(body.errorCode, 'TokenExpired');
    assert.equal(body.errors[0]?.errorCode, 'OAU-128');
    const later = await jwtLogin(emulator);
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', later.access_token)).status, 200);
  });

  it('counts grants by type in /__emulator/stats', async () => {
    const before = await stats(emulator);
    await jwtLogin(emulator);
    const after = await stats(emulator);
    assert.equal(after.tokenGrants['jwt-bearer'], (before.tokenGrants['jwt-bearer'] ?? 0) + 1);
    assert.deepEqual(Object.keys(after).sort(), [
      'activeSessions',
      'authFaults',
      'faults',
      'groups',
      'media',
      'requests',
      'revocations',
      'sessionsEnded',
      'throttled',
      'tokenGrants',
    ]);
    assert.deepEqual(Object.keys(after.tokenGrants).sort(), ['authorization_code', 'jwt-bearer', 'refresh_token']);
  });
});
