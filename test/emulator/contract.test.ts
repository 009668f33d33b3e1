import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EmulatorClient } from '../../emulator/client.js';
import { apiGet, BASIC, jwtLogin, postForm, type Tokens, useEmulator } from '../helpers/emulator.js';
import { assertValid, specValidators } from '../helpers/spec.js';

/** The emulator's responses, validated against RingCentral's OpenAPI spec (every copy available). */

const emulator = await useEmulator({ callLog: 400, extensions: 30 });
const ACCOUNT = '/restapi/v1.0/account/{accountId}';
let tokens: Tokens;

before(async () => {
  tokens = await jwtLogin(emulator);
});

async function json(path: string): Promise<{ status: number; body: unknown }> {
  const res = await apiGet(emulator, path, tokens.access_token);
  return { status: res.status, body: await res.json() };
}

for (const spec of specValidators()) {
  describe(`contract with ${spec.name}`, () => {
    it('token response is a TokenInfo', () => {
      assertValid(spec.response('/restapi/oauth/token', 'post', '200'), tokens, 'token response');
      assert.equal(tokens.token_type, 'bearer');
    });

    it('token errors are OauthInvalidRequest bodies', async () => {
      const res = await postForm(
        `${emulator.url}/restapi/oauth/token`,
        { grant_type: 'refresh_token', refresh_token: 'U1BCnope' },
        { Authorization: BASIC },
      );
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string };
      assertValid(spec.response('/restapi/oauth/token', 'post', '400'), body, 'token error');
      assert.equal(body.error, 'invalid_grant');
    });

    it('account, extension and extension list match their schemas', async () => {
      const account = await json('/restapi/v1.0/account/~');
      assertValid(spec.response(ACCOUNT, 'get', '200'), account.body, 'account');
      const extension = await json('/restapi/v1.0/account/~/extension/~');
      assertValid(spec.response(`${ACCOUNT}/extension/{extensionId}`, 'get', '200'), extension.body, 'extension');
      const list = await json('/restapi/v1.0/account/~/extension?perPage=7&page=2');
      assertValid(spec.response(`${ACCOUNT}/extension`, 'get', '200'), list.body, 'extension list');
    });

    for (const view of ['Simple', 'Detailed']) {
      it(`call log (${view}) matches CallLogResponse, company and user`, async () => {
        const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
        const company = await json(`/restapi/v1.0/account/~/call-log?view=${view}&perPage=200&dateFrom=${from}`);
        assert.equal(company.status, 200);
        assertValid(spec.response(`${ACCOUNT}/call-log`, 'get', '200'), company.body, `company call log ${view}`);
        const user = await json(`/restapi/v1.0/account/~/extension/~/call-log?view=${view}&perPage=50&dateFrom=${from}`);
        assertValid(spec.response(`${ACCOUNT}/extension/{extensionId}/call-log`, 'get', '200'), user.body, `user call log ${view}`);
      });
    }

    it('the sync APIs match CallLogSyncResponse and CallLogExtractSyncResponse (running, final and deleted records)', async () => {
      const control = new EmulatorClient(emulator.url);
      const [running] = await control.addCalls({ startedAgo: 30, duration: 600 });
      const [gone] = await control.addCalls({ startedAgo: 120, duration: 60 });
      await control.deleteCall(gone ?? '');
      for (const view of ['Simple', 'Detailed']) {
        const extract = await json(
          `/restapi/v1.0/account/~/call-log-extract-sync?view=${view}&dateFrom=${new Date(Date.now() - 3600_000).toISOString()}`,
        );
        assert.equal(extract.status, 200);
        assertValid(spec.response(`${ACCOUNT}/call-log-extract-sync`, 'get', '200'), extract.body, `extract-sync ${view}`);
        const ids = (extract.body as { records: { id: string }[] }).records.map((r) => r.id);
        assert.ok(ids.includes(running ?? '') && ids.includes(gone ?? ''));
        const full = await json(`/restapi/v1.0/account/~/call-log-sync?view=${view}&recordCount=20`);
        assertValid(spec.response(`${ACCOUNT}/call-log-sync`, 'get', '200'), full.body, `call-log-sync FSync ${view}`);
        const token = (full.body as { syncInfo: { syncToken: string } }).syncInfo.syncToken;
        const user = await json(`/restapi/v1.0/account/~/extension/~/call-log-sync?view=${view}&recordCount=20`);
        assertValid(
          spec.response(`${ACCOUNT}/extension/{extensionId}/call-log-sync`, 'get', '200'),
          user.body,
          `user call-log-sync ${view}`,
        );
        await control.modifyCall(running ?? '');
        const incremental = await json(`/restapi/v1.0/account/~/call-log-sync?syncType=ISync&showDeleted=true&syncToken=${token}`);
        assertValid(spec.response(`${ACCOUNT}/call-log-sync`, 'get', '200'), incremental.body, `call-log-sync ISync ${view}`);
      }
      const bad = await json('/restapi/v1.0/account/~/call-log-sync');
      assert.equal(bad.status, 400);
      assertValid(spec.response(`${ACCOUNT}/call-log-sync`, 'get', '400'), bad.body, 'sync error');
    });

    it('REST errors match the documented error responses', async () => {
      const bad = await json('/restapi/v1.0/account/~/call-log?perPage=0');
      assert.equal(bad.status, 400);
      assertValid(spec.response(`${ACCOUNT}/call-log`, 'get', '400'), bad.body, 'CMN-101 error');
      const missing = await json('/restapi/v1.0/account/123/call-log');
      assert.equal(missing.status, 404);
      assertValid(spec.response(`${ACCOUNT}/call-log`, 'get', '404'), missing.body, 'CMN-102 error');
      const unauthorized = await apiGet(emulator, '/restapi/v1.0/account/~', 'U1BCnot-a-real-token-but-long-enough-to-parse-000');
      assert.equal(unauthorized.status, 401);
      assertValid(spec.component('Unauthorized'), await unauthorized.json(), '401 error');
    });
  });
}
