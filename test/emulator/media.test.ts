import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { EmulatorClient } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { jwtLogin, type Tokens, useEmulator } from '../helpers/emulator.js';

/** Recording content on the media entry point: its own origin, auth, permission, Range, ground truth. */

const emulator = await useEmulator({ callLog: 300, scopes: ['ReadAccounts', 'ReadCallLog', 'ReadCallRecording'] });
let tokens: Tokens;
before(async () => {
  tokens = await jwtLogin(emulator);
});

interface Truth {
  callId: string;
  recordingId: string;
  contentUri: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

async function truth(url = emulator.url): Promise<Truth[]> {
  const text = await (await fetch(`${url}/__emulator/recordings`)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Truth);
}

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
