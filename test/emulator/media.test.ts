import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { EmulatorClient, type TruthRecording } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { jwtLogin, type Tokens, useEmulator } from '../helpers/emulator.js';
import { assertValid, specValidators } from '../helpers/spec.js';

/** Recording content on the media entry point: its own origin, auth, permission, Range, ground truth. */

const emulator = await useEmulator({ callLog: 300, scopes: ['ReadAccounts', 'ReadCallLog', 'ReadCallRecording'] });
let tokens: Tokens;
before(async () => {
  tokens = await jwtLogin(emulator);
});

type Truth = TruthRecording;

const truth = (url = emulator.url): Promise<Truth[]> => new EmulatorClient(url).recordings();

const get = (uri: string, headers: Record<string, string> = {}, token = tokens.access_token) =>
  fetch(uri, { headers: { Authorization: `Bearer ${token}`, ...headers } });
const digest = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

describe('media entry point', () => {
  it("records point at the media origin; content matches the ground truth's size, type and sha256", async () => {
    const recordings = await truth();
    assert.ok(recordings.length > 10, `${recordings.length} recordings`);
    const [first] = recordings;
    assert.ok(first?.contentUri.startsWith(`${emulator.mediaUrl}/restapi/v1.0/account/`));
    assert.notEqual(new URL(emulator.mediaUrl).port, new URL(emulator.url).port);
    const res = await get(first?.contentUri ?? '');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), first?.contentType);
    assert.equal(Number(res.headers.get('content-length')), first?.bytes);
    assert.equal(digest(await res.arrayBuffer()), first?.sha256);
  });

  it('Range: 206 pieces that add up to the whole; a range past the end is 416', async () => {
    const [first] = await truth();
    const uri = first?.contentUri ?? '';
    const size = first?.bytes ?? 0;
    const head = await get(uri, { Range: 'bytes=0-999' });
    assert.equal(head.status, 206);
    assert.equal(head.headers.get('content-range'), `bytes 0-999/${size}`);
    const rest = await get(uri, { Range: 'bytes=1000-' });
    assert.equal(rest.status, 206);
    const whole = Buffer.concat([Buffer.from(await head.arrayBuffer()), Buffer.from(await rest.arrayBuffer())]);
    assert.equal(createHash('sha256').update(whole).digest('hex'), first?.sha256);
    assert.equal((await get(uri, { Range: `bytes=${size}-` })).status, 416);
  });

  it('no token is 401; an unknown recording is 404; the API origin does not serve content', async () => {
    const [first] = await truth();
    assert.equal((await fetch(first?.contentUri ?? '')).status, 401);
    assert.equal((await get(`${emulator.mediaUrl}/restapi/v1.0/account/~/recording/1999999999/content`)).status, 404);
    assert.equal((await get((first?.contentUri ?? '').replace(emulator.mediaUrl, emulator.url))).status, 404);
  });

  it("readCallRecording on the API origin: the recording's metadata, pointing at the media origin", async () => {
    const [first] = await truth();
    const res = await get(`${emulator.url}/restapi/v1.0/account/~/recording/${first?.recordingId}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { id: string; contentUri: string; contentType: string; duration: number };
    assert.deepEqual([body.id, body.contentUri, body.contentType], [first?.recordingId, first?.contentUri, first?.contentType]);
    assert.ok(body.duration > 0);
    for (const spec of specValidators()) assertValid(spec.schema('GetCallRecordingResponse'), body, `recording (${spec.name})`);
    assert.equal((await get(`${emulator.url}/restapi/v1.0/account/~/recording/1999999999`)).status, 404);
  });

  it('a recording attached by modify is listed and served', async () => {
    const control = new EmulatorClient(emulator.url);
    const [id] = await control.addCalls({ startedAgo: 120, duration: 30 });
    await control.advance(30);
    await control.modifyCall(id ?? '');
    const added = (await truth()).find((r) => r.callId === id);
    assert.ok(added);
    const res = await get(added?.contentUri ?? '');
    assert.equal(res.status, 200);
    assert.equal(digest(await res.arrayBuffer()), added?.sha256);
  });
});

describe('recordings of legs, and how many calls are recorded', () => {
  it("a leg's own recording is in the Detailed view and the ground truth, and is served", async () => {
    const recordings = await truth();
    const byCall = new Map<string, Truth[]>();
    for (const r of recordings) byCall.set(r.callId, [...(byCall.get(r.callId) ?? []), r]);
    const [callId, both] = [...byCall].find(([, list]) => list.length > 1) ?? [];
    assert.ok(callId && both, 'a call with two recordings');
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const res = await fetch(`${emulator.url}/restapi/v1.0/account/~/call-log?view=Detailed&perPage=1000&dateFrom=${from}`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    type Listed = { id: string; recording: { id: string }; legs: { recording?: { id: string } }[] };
    const record = ((await res.json()) as { records: Listed[] }).records.find((r) => r.id === callId) as Listed;
    const ids = new Set([record.recording.id, ...record.legs.map((leg) => leg.recording?.id).filter(Boolean)]);
    assert.deepEqual([...ids].sort(), both.map((r) => r.recordingId).sort());
    for (const recording of both) assert.equal((await get(recording.contentUri)).status, 200);
  });

  it('--recording-share and --recording-bytes shape the recordings', async () => {
    const more = await useEmulator({ callLog: 300, recordingShare: 0.6, recordingBytes: 5000 });
    const many = new Set((await truth(more.url)).map((r) => r.callId)).size;
    const usual = new Set((await truth()).map((r) => r.callId)).size;
    assert.ok(many > usual * 2.5, `${many} recorded calls at 0.6 vs ${usual} at 0.15`);
    assert.ok((await truth(more.url)).every((r) => r.bytes === 5000));
  });
});

describe('media entry point, limits', () => {
  it('needs ReadCallRecording (403 naming it) and counts in the Heavy group', async () => {
    const plain = await useEmulator({ callLog: 300 });
    const [first] = await truth(plain.url);
    const token = (await jwtLogin(plain)).access_token;
    const denied = await get(first?.contentUri ?? '', {}, token);
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /ReadCallRecording/);
    const limited = await useEmulator({
      callLog: 300,
      scopes: ['ReadAccounts', 'ReadCallLog', 'ReadCallRecording'],
      rateLimits: parseRateLimits('heavy=2/60'),
    });
    const [rec] = await truth(limited.url);
    const limitedToken = (await jwtLogin(limited)).access_token;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(rec?.contentUri ?? '', {}, limitedToken)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});
