import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { apiGet, jwtLogin, type Tokens, useEmulator } from '../helpers/emulator.js';
import { groundTruth } from '../helpers/signed-in.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const emulator = await useEmulator({ callLog: 3000, extensions: 40, now: NOW });
let tokens: Tokens;

interface Page {
  uri: string;
  records: { id: string; startTime: string; direction: string; type: string; extension: { id: number }; legs?: unknown[] }[];
  paging: Record<string, number>;
  navigation: Record<string, { uri: string }>;
}

before(async () => {
  tokens = await jwtLogin(emulator);
});

async function get(path: string): Promise<Page> {
  const res = await apiGet(emulator, path, tokens.access_token);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()) as Page;
}

/** Follows navigation.nextPage as a client should, collecting every record. */
async function collect(path: string): Promise<Page['records']> {
  const records: Page['records'] = [];
  let next: string | undefined = path;
  while (next) {
    const page: Page = await get(next);
    records.push(...page.records);
    next = page.navigation.nextPage
      ? new URL(page.navigation.nextPage.uri).pathname + new URL(page.navigation.nextPage.uri).search
      : undefined;
  }
  return records;
}

describe('call log', () => {
  it('defaults to the last 24 hours before dateTo (the API default)', async () => {
    const truth = await groundTruth(emulator);
    const page = await get(`/restapi/v1.0/account/~/call-log?perPage=1000&dateTo=${new Date(NOW).toISOString()}`);
    const expected = truth.filter((r) => Date.parse(r.startTime) >= NOW - DAY && Date.parse(r.startTime) < NOW);
    assert.ok(expected.length > 50);
    assert.deepEqual(
      page.records.map((r) => r.id),
      expected.map((r) => r.id),
    );
  });

  it('pages by navigation.nextPage with no totals, newest first, and covers the range exactly', async () => {
    const truth = await groundTruth(emulator);
    const from = new Date(NOW - 10 * DAY).toISOString();
    const to = new Date(NOW - 3 * DAY).toISOString();
    const first = await get(`/restapi/v1.0/account/~/call-log?dateFrom=${from}&dateTo=${to}&perPage=100`);
    assert.equal(first.paging.totalPages, undefined);
    assert.equal(first.paging.totalElements, undefined);
    assert.equal(first.navigation.lastPage, undefined);
    assert.deepEqual([first.paging.page, first.paging.perPage, first.paging.pageStart, first.paging.pageEnd], [1, 100, 0, 99]);
    // Canonical, as the platform's: the numeric account id, never `~`.
    assert.match(first.navigation.nextPage?.uri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/restapi\/v1\.0\/account\/\d+\/call-log\?.*page=2/);
    const all = await collect(`/restapi/v1.0/account/~/call-log?dateFrom=${from}&dateTo=${to}&perPage=100`);
    const expected = truth.filter((r) => r.startTime >= from && r.startTime < to).map((r) => r.id);
    assert.deepEqual(
      all.map((r) => r.id),
      expected,
    );
    const times = all.map((r) => Date.parse(r.startTime));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  it('a page past the end is empty, without pageStart/pageEnd', async () => {
    const page = await get('/restapi/v1.0/account/~/call-log?page=500&perPage=100');
    assert.deepEqual(page.records, []);
    assert.equal(page.paging.pageStart, undefined);
    assert.equal(page.navigation.nextPage, undefined);
  });

  it('caps perPage at 1000 and accepts "max"', async () => {
    const from = new Date(NOW - 30 * DAY).toISOString();
    assert.equal((await get(`/restapi/v1.0/account/~/call-log?perPage=5000&dateFrom=${from}`)).paging.perPage, 1000);
    assert.equal((await get(`/restapi/v1.0/account/~/call-log?perPage=max&dateFrom=${from}`)).records.length, 1000);
  });

  it('filters by direction, type and extension number; the user call log only has own calls', async () => {
    const from = new Date(NOW - 30 * DAY).toISOString();
    const inbound = await collect(`/restapi/v1.0/account/~/call-log?dateFrom=${from}&direction=Inbound&type=Fax&perPage=1000`);
    assert.ok(inbound.length > 0);
    assert.ok(inbound.every((r) => r.direction === 'Inbound' && r.type === 'Fax'));
    const own = await collect(`/restapi/v1.0/account/~/extension/~/call-log?dateFrom=${from}&perPage=1000`);
    assert.ok(own.length > 100);
    assert.ok(own.every((r) => String(r.extension.id) === tokens.owner_id));
    const byNumber = await collect(`/restapi/v1.0/account/~/call-log?dateFrom=${from}&extensionNumber=101&perPage=1000`);
    assert.deepEqual(
      byNumber.map((r) => r.id),
      own.map((r) => r.id),
    );
  });

  it('Detailed view adds legs', async () => {
    const page = await get('/restapi/v1.0/account/~/call-log?view=Detailed&perPage=5');
    assert.ok(page.records.every((r) => Array.isArray(r.legs) && r.legs.length > 0));
    const simple = await get('/restapi/v1.0/account/~/call-log?view=Simple&perPage=5');
    assert.ok(simple.records.every((r) => r.legs === undefined));
  });

  it('is the same data for the same seed', async () => {
    const twin = await useEmulator({ callLog: 3000, extensions: 40, now: NOW });
    const mine = await groundTruth(emulator);
    const text = await (await fetch(`${twin.url}/__emulator/call-log`)).text();
    const theirs = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const strip = (r: Record<string, unknown>) => JSON.stringify(r).replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, '');
    assert.deepEqual(theirs.map(strip), mine.map(strip));
  });

  it('rejects unknown parameters and bad values with 400 CMN-101 naming the parameter', async () => {
    for (const [query, name] of [
      ['foo=1', 'foo'],
      ['perPage=0', 'perPage'],
      ['perPage=abc', 'perPage'],
      ['page=0', 'page'],
      ['dateFrom=yesterday', 'dateFrom'],
      ['view=Full', 'view'],
      ['direction=Sideways', 'direction'],
      [`dateFrom=${new Date(NOW).toISOString()}&dateTo=${new Date(NOW - DAY).toISOString()}`, 'dateFrom'],
    ]) {
      const res = await apiGet(emulator, `/restapi/v1.0/account/~/call-log?${query}`, tokens.access_token);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { errorCode: string; errors: { errorCode: string; parameterName: string }[] };
      assert.equal(body.errorCode, 'CMN-101');
      assert.equal(body.errors[0]?.parameterName, name, query);
    }
  });

  it('a non-admin user gets 403 on the company call log, naming the permission', async () => {
    const jwt = await (await fetch(`${emulator.url}/__emulator/jwt?extensionNumber=102`)).text();
    const user = await jwtLogin(emulator, jwt.trim());
    const res = await apiGet(emulator, '/restapi/v1.0/account/~/call-log', user.access_token);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { errors: { errorCode: string; permissionName: string }[] };
    assert.equal(body.errors[0]?.permissionName, 'FullCompanyCallLog');
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~/extension/~/call-log', user.access_token)).status, 200);
  });
});

describe('extensions', () => {
  it('lists with totals and first/last/next navigation, and pages cover every extension once', async () => {
    const first = await get('/restapi/v1.0/account/~/extension?perPage=15');
    assert.deepEqual([first.paging.totalElements, first.paging.totalPages, first.paging.page], [40, 3, 1]);
    assert.ok(first.navigation.firstPage && first.navigation.lastPage && first.navigation.nextPage);
    const all = await collect('/restapi/v1.0/account/~/extension?perPage=15');
    assert.equal(new Set(all.map((r) => r.id)).size, 40);
  });

  it('filters by status, type and extensionNumber', async () => {
    const users = await get('/restapi/v1.0/account/~/extension?type=User&status=Enabled&perPage=1000');
    assert.ok(users.records.length > 0);
    assert.ok(users.records.every((r) => (r as unknown as { type: string }).type === 'User'));
    const one = await get('/restapi/v1.0/account/~/extension?extensionNumber=101');
    assert.equal(one.records.length, 1);
    const res = await apiGet(emulator, '/restapi/v1.0/account/~/extension?type=Robot', tokens.access_token);
    assert.equal(res.status, 400);
  });

  it('reads an extension by ~ or id, and 404s CMN-102 for an unknown one', async () => {
    const me = (await get('/restapi/v1.0/account/~/extension/~')) as unknown as { id: number; extensionNumber: string };
    assert.equal(me.extensionNumber, '101');
    assert.equal(String(me.id), tokens.owner_id);
    const res = await apiGet(emulator, '/restapi/v1.0/account/~/extension/999', tokens.access_token);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'CMN-102');
  });
});

describe('bearer authentication', () => {
  it('missing, unparsable and unknown tokens get 401 with OAU codes', async () => {
    const missing = await fetch(`${emulator.url}/restapi/v1.0/account/~`);
    assert.equal(missing.status, 401);
    for (const [token, code] of [
      ['garbage', 'OAU-149'],
      [`U1BC${'x'.repeat(48)}`, 'OAU-213'],
    ]) {
      const res = await apiGet(emulator, '/restapi/v1.0/account/~', token ?? '');
      assert.equal(res.status, 401);
      const body = (await res.json()) as { errors: { errorCode: string }[] };
      assert.equal(body.errors[0]?.errorCode, code);
    }
  });

  it('an unknown path is 404 CMN-120', async () => {
    const res = await apiGet(emulator, '/restapi/v1.0/account/~/nothing-here', tokens.access_token);
    assert.equal(res.status, 404);
  });
});
