import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EmulatorClient } from '../../emulator/client.js';
import { apiGet, jwtLogin, type Tokens, useEmulator } from '../helpers/emulator.js';

/** Calls that run, end, appear late, change and vanish; and the sync APIs that report it. */

const emulator = await useEmulator({ callLog: 300, extensions: 12 });
const control = new EmulatorClient(emulator.url);
let tokens: Tokens;

before(async () => {
  tokens = await jwtLogin(emulator);
});

type Rec = Record<string, unknown> & { id: string };

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await apiGet(emulator, path, tokens.access_token);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function list(query: string): Promise<Rec[]> {
  const records: Rec[] = [];
  let page = 1;
  for (;;) {
    const { body } = await get(`/restapi/v1.0/account/~/call-log?perPage=100&page=${page}&${query}`);
    records.push(...(body.records as Rec[]));
    if (!(body.navigation as { nextPage?: unknown }).nextPage) return records;
    page += 1;
  }
}

const since = (ms: number) => new Date(Date.now() - ms).toISOString();
const byId = (records: Rec[], id: string | undefined) => records.find((r) => r.id === id);

describe('call lifecycle', () => {
  it('a running call is In Progress; its final record appears only after the lag, filed under its start', async () => {
    const [id] = await control.addCalls({ startedAgo: 3 * 3600, duration: 3 * 3600 + 40 });
    const running = byId(await list(`dateFrom=${since(4 * 3600_000)}&view=Detailed`), id);
    assert.equal(running?.result, 'In Progress');
    assert.equal(running?.duration, undefined);
    assert.ok(Date.parse(String(running?.startTime)) <= Date.now() - 3 * 3600_000 + 5000, 'filed under its start');
    await control.advance(50); // ended 10 s ago: the record is not final yet
    assert.equal(byId(await list(`dateFrom=${since(4 * 3600_000)}`), id)?.result, 'In Progress');
    assert.equal(byId(await control.callLog({ final: true }), id), undefined);
    await control.advance(20);
    const final = byId(await list(`dateFrom=${since(4 * 3600_000)}&view=Detailed`), id);
    assert.notEqual(final?.result, 'In Progress');
    assert.equal(final?.duration, 3 * 3600 + 40);
    assert.ok(byId(await control.callLog({ final: true }), id));
  });

  it('finish, modify (a recording, a newer lastModifiedTime) and delete; showDeleted and the ground truth', async () => {
    const [a, b] = await control.addCalls({ count: 2, duration: 600 });
    await control.finishCall(a ?? '');
    await control.advance(21);
    const truth = await control.callLog({ final: true, view: 'Detailed' });
    assert.ok(byId(truth, a), 'finished early, final after the lag');
    assert.equal(byId(truth, b), undefined, 'still running');
    const before = String(byId(truth, a)?.lastModifiedTime);
    await control.advance(5);
    await control.modifyCall(a ?? '');
    const modified = byId(await control.callLog({ final: true, view: 'Detailed' }), a);
    assert.ok(Date.parse(String(modified?.lastModifiedTime)) > Date.parse(before));
    assert.ok((modified?.recording as { id?: string } | undefined)?.id);
    await control.deleteCall(a ?? '');
    assert.equal(byId(await list(`dateFrom=${since(3600_000)}`), a), undefined);
    assert.equal(byId(await list(`dateFrom=${since(3600_000)}&showDeleted=true`), a)?.deleted, true);
    assert.equal(byId(await control.callLog({ final: true }), a), undefined);
    assert.equal(byId(await control.callLog({ final: true, deleted: true }), a)?.deleted, true);
    const missing = await fetch(`${emulator.url}/__emulator/calls/nope/finish`, { method: 'POST' });
    assert.equal(missing.status, 404);
    assert.equal((await fetch(`${emulator.url}/__emulator/calls?startedAgo=-1`, { method: 'POST' })).status, 400);
  });

  it('calls added out of order take their place by start time; pages cover each record once', async () => {
    for (const ago of [7200, 60, 5000, 3600, 3600]) await control.addCalls({ count: 3, startedAgo: ago, duration: 0 });
    await control.advance(21);
    const from = since(31 * 86_400_000);
    const all = await list(`dateFrom=${from}`);
    const times = all.map((r) => Date.parse(String(r.startTime)));
    assert.deepEqual(
      times,
      [...times].sort((x, y) => y - x),
    );
    assert.equal(new Set(all.map((r) => r.id)).size, all.length);
    const truth = (await control.callLog()).filter((r) => Date.parse(String(r.startTime)) >= Date.parse(from));
    assert.deepEqual(
      all.map((r) => r.id),
      truth.map((r) => r.id),
    );
  });
});

describe('call-log-extract-sync', () => {
  it('FSync from dateFrom, oldest change first, newerRecordsExist, then ISync: every change once', async () => {
    const from = since(31 * 86_400_000);
    const seen: Rec[] = [];
    let query = `syncType=FSync&recordCount=100&view=Detailed&dateFrom=${from}`;
    for (let i = 0; i < 50; i++) {
      const { status, body } = await get(`/restapi/v1.0/account/~/call-log-extract-sync?${query}`);
      assert.equal(status, 200, JSON.stringify(body));
      seen.push(...(body.records as Rec[]));
      const info = body.syncInfo as { syncToken: string; newerRecordsExist: boolean; syncType: string };
      if (!info.newerRecordsExist) break;
      query = `syncType=ISync&syncToken=${info.syncToken}&view=Detailed`;
    }
    const modified = seen.map((r) => Date.parse(String(r.lastModifiedTime)));
    assert.deepEqual(
      modified,
      [...modified].sort((x, y) => x - y),
    );
    assert.equal(new Set(seen.map((r) => r.id)).size, seen.length);
    const truth = await control.callLog({ deleted: true, view: 'Detailed' });
    assert.deepEqual(seen.map((r) => r.id).sort(), truth.map((r) => r.id).sort());
  });

  it('rejects what the spec does not allow: recordCount over 1000, recordCount on ISync, a foreign or damaged token', async () => {
    assert.equal((await get('/restapi/v1.0/account/~/call-log-extract-sync?recordCount=1001')).status, 400);
    const first = await get('/restapi/v1.0/account/~/call-log-extract-sync');
    const token = (first.body.syncInfo as { syncToken: string }).syncToken;
    assert.equal((await get(`/restapi/v1.0/account/~/call-log-extract-sync?syncType=ISync&syncToken=${token}&recordCount=5`)).status, 400);
    assert.equal((await get('/restapi/v1.0/account/~/call-log-extract-sync?syncType=ISync&syncToken=abc')).status, 400);
    assert.equal((await get('/restapi/v1.0/account/~/call-log-extract-sync?syncType=ISync')).status, 400);
    assert.equal((await get('/restapi/v1.0/account/~/extension/~/call-log-extract-sync')).status, 404);
  });

  it('a token is a moment: a final record dated before it but visible after it is not in the next ISync', async () => {
    const [id] = await control.addCalls({ duration: 10 });
    await control.advance(15); // ended 5 s ago, final record not visible yet
    const first = await get('/restapi/v1.0/account/~/call-log-extract-sync?view=Detailed');
    const token = (first.body.syncInfo as { syncToken: string }).syncToken;
    assert.equal(byId(first.body.records as Rec[], id)?.result, 'In Progress');
    await control.advance(30);
    const next = await get(`/restapi/v1.0/account/~/call-log-extract-sync?syncType=ISync&syncToken=${token}`);
    assert.equal(byId(next.body.records as Rec[], id), undefined, 'lost by a client that trusts the token alone');
    const reread = await get(`/restapi/v1.0/account/~/call-log-extract-sync?dateFrom=${since(3600_000)}`);
    assert.notEqual(byId(reread.body.records as Rec[], id)?.result, 'In Progress', 'found by a re-read with a margin');
  });
});

describe('call-log-sync', () => {
  it('FSync needs recordCount (at most 250) and returns the newest records of the frame; ISync the changes, deletions with showDeleted', async () => {
    assert.equal((await get('/restapi/v1.0/account/~/call-log-sync')).status, 400);
    assert.equal((await get('/restapi/v1.0/account/~/call-log-sync?recordCount=251')).status, 400);
    assert.equal((await get(`/restapi/v1.0/account/~/call-log-sync?recordCount=5&dateFrom=${since(40 * 86_400_000)}`)).status, 400);
    const full = await get('/restapi/v1.0/account/~/call-log-sync?recordCount=5');
    const records = full.body.records as Rec[];
    assert.equal(records.length, 5);
    const truth = await control.callLog();
    assert.deepEqual(
      records.map((r) => r.id),
      truth.slice(0, 5).map((r) => r.id),
    );
    const token = (full.body.syncInfo as { syncToken: string }).syncToken;
    const [added] = await control.addCalls({ duration: 0 });
    await control.advance(21);
    await control.deleteCall(truth[1]?.id as string);
    const plain = await get(`/restapi/v1.0/account/~/call-log-sync?syncType=ISync&syncToken=${token}`);
    assert.deepEqual(
      (plain.body.records as Rec[]).map((r) => r.id),
      [added],
    );
    const withDeleted = await get(`/restapi/v1.0/account/~/call-log-sync?syncType=ISync&showDeleted=true&syncToken=${token}`);
    assert.deepEqual((withDeleted.body.records as Rec[]).map((r) => r.id).sort(), [added, truth[1]?.id].sort());
  });

  it('more than 250 changes since the token: 400, the client must start over with FSync', async () => {
    const full = await get('/restapi/v1.0/account/~/extension/~/call-log-sync?recordCount=1');
    const token = (full.body.syncInfo as { syncToken: string }).syncToken;
    await control.addCalls({ count: 1500, duration: 0 });
    await control.advance(21);
    const next = await get(`/restapi/v1.0/account/~/extension/~/call-log-sync?syncType=ISync&syncToken=${token}`);
    assert.equal(next.status, 400);
    assert.match(JSON.stringify(next.body), /max sync record number limit is exceeded/);
  });
});
