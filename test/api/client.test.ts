import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { WaitBudget } from '../../src/api/retry.js';
import { TemporaryError } from '../../src/errors.js';
import { createLogger } from '../../src/output/logger.js';

/** A server that answers from a script, one response a request. */
async function scripted(
  responses: { status: number; body: unknown; headers?: Record<string, string> }[],
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    const next = responses[Math.min(hits, responses.length - 1)];
    hits += 1;
    res.writeHead(next?.status ?? 500, { 'Content-Type': 'application/json', ...next?.headers });
    res.end(JSON.stringify(next?.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

function clientFor(url: string, waits: number[], maxWaitMs = 600_000): ApiClient {
  return new ApiClient(
    { server: url, accessToken: async () => 'U1BCtoken' },
    {
      budget: new WaitBudget(maxWaitMs),
      logger: createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );
}

const rateError = {
  errorCode: 'CMN-301',
  message: 'Request rate exceeded',
  errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
};

describe('ApiClient', () => {
  it('a 429 without Retry-After or rate-limit headers (an account-level limit) waits 30 s, then succeeds', async () => {
    const server = await scripted([
      { status: 429, body: rateError },
      { status: 200, body: { ok: true } },
    ]);
    const waits: number[] = [];
    assert.deepEqual(await clientFor(server.url, waits).get('/restapi/v1.0/account/~'), { ok: true });
    assert.deepEqual(waits, [30_000]);
  });

  it('CMN-304 "duplicate concurrent request" is retried', async () => {
    const duplicate = { errorCode: 'CMN-304', message: 'Duplicate concurrent request', errors: [{ errorCode: 'CMN-304', message: 'x' }] };
    const server = await scripted([
      { status: 409, body: duplicate },
      { status: 200, body: { ok: true } },
    ]);
    const waits: number[] = [];
    assert.deepEqual(await clientFor(server.url, waits).get('/x'), { ok: true });
    assert.equal(waits.length, 1);
  });

  it('gives up with exit 75 when the next wait would pass --max-wait, saying how long it waited', async () => {
    const server = await scripted([{ status: 503, body: rateError, headers: { 'Retry-After': '20' } }]);
    const waits: number[] = [];
    await assert.rejects(clientFor(server.url, waits, 30_000).get('/x'), (error: unknown) => {
      assert.ok(error instanceof TemporaryError);
      assert.match(error.message, /gave up after 2 attempts and 20 s of waiting/);
      return true;
    });
    assert.equal(server.hits(), 2);
  });
});

describe('answers that are not JSON', () => {
  it('are bytes for callers that take them (api), and a one-line error, not a retry, for the rest', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
      res.end(Buffer.from([0xff, 0xfb, 0x90, 0x00]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bytes = await clientFor(url, []).request<Buffer>('GET', '/media', undefined, undefined, true);
    assert.deepEqual([...bytes], [0xff, 0xfb, 0x90, 0x00]);
    const waits: number[] = [];
    await assert.rejects(clientFor(url, waits).get('/media'), /answered 200 with audio\/mpeg, not JSON/);
    assert.deepEqual([hits, waits.length], [2, 0], 'not retried');
  });
});
