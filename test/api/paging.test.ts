import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { followPages } from '../../src/api/paging.js';
import { WaitBudget } from '../../src/api/retry.js';
import { CliError, TemporaryError } from '../../src/errors.js';
import { createLogger } from '../../src/output/logger.js';

/** A hostile or broken server: answers from `answer(path)`, counting the Authorization headers it sees. */
async function serve(answer: (path: string, origin: string) => unknown | 'hang'): Promise<{ url: string; tokens: () => number }> {
  let tokens = 0;
  const server = createServer((req, res) => {
    if (req.headers.authorization) tokens += 1;
    const origin = `http://${req.headers.host}`;
    const body = answer(req.url ?? '/', origin);
    if (body === 'hang') return;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens: () => tokens };
}

const client = (url: string, extra: { requestTimeoutMs?: number; maxWaitMs?: number } = {}) =>
  new ApiClient(
    { server: url, accessToken: async () => 'U1BCsecret-token' },
    {
      budget: new WaitBudget(extra.maxWaitMs ?? 0),
      maxAttempts: 2,
      logger: createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
      sleep: async () => undefined,
      ...(extra.requestTimeoutMs ? { requestTimeoutMs: extra.requestTimeoutMs } : {}),
    },
  );

async function drain(pages: AsyncIterable<unknown[]>): Promise<number> {
  let n = 0;
  for await (const page of pages) n += page.length;
  return n;
}

describe('following navigation links', () => {
  it('a nextPage on another host (even plain http) is refused: the token never goes there', async () => {
    const collector = await serve(() => ({ records: [{ id: 'stolen' }] }));
    const api = await serve(() => ({
      records: [{ id: 'a' }],
      navigation: { nextPage: { uri: `${collector.url}/restapi/v1.0/x?page=2` } },
    }));
    await assert.rejects(drain(followPages(client(api.url), '/restapi/v1.0/x', {})), (error: unknown) => {
      assert.ok(error instanceof CliError);
      assert.match(error.message, /points to http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:\d+: not sending the session there/);
      return true;
    });
    assert.equal(collector.tokens(), 0);
  });

  it('a nextPage back to a page already read stops with an error instead of looping', async () => {
    const api = await serve((path, origin) => ({
      records: [{ id: path }],
      navigation: { nextPage: { uri: `${origin}/p?page=${path.includes('page=2') ? 1 : 2}` } },
    }));
    await assert.rejects(drain(followPages(client(api.url), '/p', {})), /links back to a page already read/);
  });

  it('a server that accepts and never answers: each request gives up after its timeout, as a dropped connection', async () => {
    const api = await serve(() => 'hang');
    const started = Date.now();
    await assert.rejects(client(api.url, { requestTimeoutMs: 300, maxWaitMs: 60_000 }).get('/x'), (error: unknown) => {
      assert.ok(error instanceof TemporaryError);
      assert.match(error.message, /no answer in 0\.3 s/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });
});
