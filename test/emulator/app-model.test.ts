import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP, EmulatorClient } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { apiGet, BASIC, jwtLogin, postForm, stats, type Tokens, useEmulator } from '../helpers/emulator.js';
import { assertValid, specValidators } from '../helpers/spec.js';

/** The app's settings and its users' permissions, as strict as the real platform (issue: the real platform). */

const ACCOUNT = '/restapi/v1.0/account/{accountId}';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function errorOf(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: string; errorCode?: string; errors: { errorCode: string; permissionName?: string }[] };
  const first = body.errors[0];
  return [res.status, body.error ?? body.errorCode, first?.errorCode, first?.permissionName].filter(Boolean).join(' ');
}

function refresh(url: string, refreshToken: string): Promise<Response> {
  return postForm(`${url}/restapi/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { Authorization: BASIC });
}

describe('app settings', () => {
  it('--no-refresh-tokens: token responses carry no refresh token (the platform default for a new app)', async () => {
    const emulator = await useEmulator({ refreshTokens: false });
    const tokens = await jwtLogin(emulator);
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.refresh_token_expires_in, undefined);
    assert.equal(tokens.expires_in, 3599);
    for (const spec of specValidators()) assertValid(spec.response('/restapi/oauth/token', 'post', '200'), tokens, `${spec.name} token`);
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token)).status, 200);
  });

  it('--app-grants: a grant the app is not enabled for is 400 unauthorized_client OAU-251', async () => {
    const emulator = await useEmulator({ appGrants: ['authorization_code'] });
    const res = await postForm(
      `${emulator.url}/restapi/oauth/token`,
      { grant_type: JWT_GRANT, assertion: emulator.jwt },
      { Authorization: BASIC },
    );
    assert.equal(await errorOf(res), '400 unauthorized_client OAU-251');
  });

  it('--scopes: an API outside the app permissions is 403 InsufficientPermissions CMN-401 naming the permission', async () => {
    const emulator = await useEmulator({ scopes: ['ReadAccounts'] });
    const tokens = await jwtLogin(emulator);
    assert.equal(tokens.scope, 'ReadAccounts');
    const res = await apiGet(emulator, '/restapi/v1.0/account/~/extension/~/call-log', tokens.access_token);
    const body = await res.clone().json();
    assert.equal(await errorOf(res), '403 InsufficientPermissions CMN-401 ReadCallLog');
    for (const spec of specValidators())
      assertValid(spec.response(`${ACCOUNT}/extension/{extensionId}/call-log`, 'get', '403'), body, spec.name);
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token)).status, 200);
  });

  it('--session-limit: a new session ends the oldest of that user and app, counted in stats', async () => {
    const emulator = await useEmulator({ sessionLimit: 2 });
    const [first, second, third] = [await jwtLogin(emulator), await jwtLogin(emulator), await jwtLogin(emulator)];
    const other = await jwtLogin(emulator, await new EmulatorClient(emulator.url).jwt('102'));
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', first.access_token)).status, 401);
    assert.equal(await errorOf(await refresh(emulator.url, first.refresh_token)), '400 invalid_grant OAU-213');
    for (const live of [second, third, other])
      assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', live.access_token)).status, 200);
    assert.equal((await stats(emulator)).sessionsEnded, 1);
  });

  it('--refresh-grace: a repeat within the window returns the same pair; 0 (the default) is strictly single use', async () => {
    const graceful = await useEmulator({ refreshGrace: 10 });
    const tokens = await jwtLogin(graceful);
    const [a, b] = [
      (await (await refresh(graceful.url, tokens.refresh_token)).json()) as Tokens,
      (await (await refresh(graceful.url, tokens.refresh_token)).json()) as Tokens,
    ];
    assert.deepEqual([b.access_token, b.refresh_token], [a.access_token, a.refresh_token]);
    const strict = await useEmulator();
    const once = await jwtLogin(strict);
    assert.equal((await refresh(strict.url, once.refresh_token)).status, 200);
    assert.equal(await errorOf(await refresh(strict.url, once.refresh_token)), '400 invalid_grant OAU-213');
  });

  it('--auth-faults: the token endpoint answers 429 with Retry-After, or drops the connection; counted', async () => {
    const limited = await useEmulator({ authFaults: [{ kind: 429, probability: 1 }] });
    const res = await postForm(
      `${limited.url}/restapi/oauth/token`,
      { grant_type: JWT_GRANT, assertion: limited.jwt },
      { Authorization: BASIC },
    );
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    const dropped = await useEmulator({ authFaults: [{ kind: 'reset', probability: 1 }] });
    await assert.rejects(
      postForm(`${dropped.url}/restapi/oauth/token`, { grant_type: JWT_GRANT, assertion: dropped.jwt }, { Authorization: BASIC }),
    );
    assert.equal((await stats(limited)).authFaults, 1);
    assert.equal((await stats(limited)).tokenGrants['jwt-bearer'], 0);
  });
});

const permissions = await useEmulator({ callLog: 50 });

describe("users' permissions", () => {
  const emulator = permissions;
  const client = new EmulatorClient(emulator.url);
  const as = async (extensionNumber: string) => (await client.jwtTokens(await client.jwt(extensionNumber))).access_token;

  for (const [number, admin, company] of [
    ['101', true, true],
    ['102', false, false],
    ['103', true, false],
    ['104', false, true],
  ] as const) {
    it(`${number}: admin ${admin}, FullCompanyCallLog ${company}; the company log follows the permission alone`, async () => {
      const token = await as(number);
      const me = (await (await apiGet(emulator, '/restapi/v1.0/account/~/extension/~', token)).json()) as {
        permissions: { admin: { enabled: boolean } };
      };
      assert.equal(me.permissions.admin.enabled, admin);
      const check = await apiGet(
        emulator,
        '/restapi/v1.0/account/~/extension/~/authz-profile/check?permissionId=FullCompanyCallLog',
        token,
      );
      const checked = (await check.json()) as { successful: boolean };
      assert.equal(checked.successful, company);
      for (const spec of specValidators()) {
        assertValid(spec.response(`${ACCOUNT}/extension/{extensionId}/authz-profile/check`, 'get', '200'), checked, `${spec.name} check`);
      }
      const log = await apiGet(emulator, '/restapi/v1.0/account/~/call-log', token);
      if (company) assert.equal(log.status, 200);
      else assert.equal(await errorOf(log), '403 InsufficientPermissions CMN-408 FullCompanyCallLog');
      assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~/extension/~/call-log', token)).status, 200);
    });
  }

  it("another extension's log needs the permission too (CMN-404); the authz profile lists what a user has", async () => {
    const ids = (await (await apiGet(emulator, '/restapi/v1.0/account/~/extension?perPage=5', await as('101'))).json()) as {
      records: { id: number }[];
    };
    const someoneElse = ids.records[0]?.id;
    assert.equal(
      await errorOf(await apiGet(emulator, `/restapi/v1.0/account/~/extension/${someoneElse}/call-log`, await as('102'))),
      '403 InsufficientPermissions CMN-404',
    );
    const profile = (await (await apiGet(emulator, '/restapi/v1.0/account/~/extension/~/authz-profile', await as('104'))).json()) as {
      permissions: { permission: { id: string } }[];
    };
    assert.ok(profile.permissions.some((p) => p.permission.id === 'FullCompanyCallLog'));
    for (const spec of specValidators())
      assertValid(spec.response(`${ACCOUNT}/extension/{extensionId}/authz-profile`, 'get', '200'), profile, spec.name);
  });

  it('a malformed Authorization header is answered by the gateway: 401 AGW-402 with WWW-Authenticate', async () => {
    const res = await fetch(`${emulator.url}/restapi/v1.0/account/~`, { headers: { Authorization: 'Bearer' } });
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="RingCentral REST API"');
    assert.equal(await errorOf(res), '401 InvalidAuthorizationHeader AGW-402');
    assert.equal(APP.clientId, 'emulator-client-id');
  });
});

describe('the REST gateway, as strict as the platform', () => {
  it('navigation links are canonical: numeric account and extension ids, defaults explicit, dates normalised', async () => {
    const emulator = await useEmulator({ callLog: 300 });
    const tokens = await jwtLogin(emulator);
    const page = (await (
      await apiGet(emulator, '/restapi/v1.0/account/~/extension/~/call-log?perPage=5&dateFrom=2020-01-01', tokens.access_token)
    ).json()) as {
      navigation: { nextPage?: { uri: string } };
    };
    const next = new URL(page.navigation.nextPage?.uri ?? '');
    assert.match(next.pathname, /^\/restapi\/v1\.0\/account\/\d+\/extension\/\d+\/call-log$/);
    assert.equal(next.searchParams.get('view'), 'Simple');
    assert.equal(next.searchParams.get('dateFrom'), '2020-01-01T00:00:00.000Z');
    assert.equal(next.searchParams.get('page'), '2');
    assert.equal((await apiGet(emulator, `${next.pathname}${next.search}`, tokens.access_token)).status, 200);
  });

  it('each call-log endpoint takes its own parameters; sessionId alone (CLG-110); telephonySessionId filters', async () => {
    const emulator = await useEmulator({ callLog: 300 });
    const tokens = await jwtLogin(emulator);
    const get = (path: string) => apiGet(emulator, path, tokens.access_token);
    const from = 'dateFrom=2020-01-01';
    assert.equal(await errorOf(await get(`/restapi/v1.0/account/~/call-log?${from}&showBlocked=false`)), '400 CMN-101 CMN-101');
    assert.equal(await errorOf(await get(`/restapi/v1.0/account/~/call-log?${from}&transport=PSTN`)), '400 CMN-101 CMN-101');
    assert.equal((await get(`/restapi/v1.0/account/~/extension/~/call-log?${from}&transport=PSTN`)).status, 200);
    assert.equal(await errorOf(await get(`/restapi/v1.0/account/~/call-log?sessionId=1&direction=Inbound`)), '400 CLG-110 CLG-110');
    const one = (
      (await (await get(`/restapi/v1.0/account/~/call-log?${from}&perPage=1`)).json()) as { records: { telephonySessionId: string }[] }
    ).records[0];
    const found = (await (await get(`/restapi/v1.0/account/~/call-log?${from}&telephonySessionId=${one?.telephonySessionId}`)).json()) as {
      records: { telephonySessionId: string }[];
    };
    assert.deepEqual(
      found.records.map((r) => r.telephonySessionId),
      [one?.telephonySessionId],
    );
  });

  it('an account-level limit answers 429 without X-Rate-Limit headers and without Retry-After', async () => {
    const emulator = await useEmulator({ rateLimits: parseRateLimits('account=3/60') });
    const tokens = await jwtLogin(emulator);
    // The token request counted too: every request of the account does.
    for (let i = 0; i < 2; i++) assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token)).status, 200);
    const limited = await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal(limited.headers.get('x-rate-limit-group'), null);
  });
});
