import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { startCallbackServer } from '../../src/auth/callback-server.js';
import { AuthError } from '../../src/errors.js';
import { freePort } from '../helpers/env.js';

async function server(onCode: (code: string) => Promise<void> = async () => undefined) {
  const port = await freePort();
  const codes: string[] = [];
  const callback = await startCallbackServer({
    redirectUri: `http://localhost:${port}/oauth2callback`,
    state: 'the-state',
    onCode: async (code) => {
      codes.push(code);
      await onCode(code);
    },
    lingerMs: 200,
  });
  return { port, codes, callback, base: `http://127.0.0.1:${port}` };
}

describe('callback server', () => {
  it('processes one GET with the right state, exchanges once, and redirects to a clean URL', async () => {
    const { callback, codes, base } = await server();
    const res = await fetch(`${base}/oauth2callback?code=abc&state=the-state`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/success');
    await callback.result;
    const again = await fetch(`${base}/oauth2callback?code=abc&state=the-state`, { redirect: 'manual' });
    assert.equal(again.status, 400);
    const page = await fetch(`${base}/success`);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.deepEqual(codes, ['abc']);
    await callback.close();
  });

  it('a missing or wrong state never reaches the token exchange and does not end the wait', async () => {
    const { callback, codes, base } = await server();
    for (const query of ['code=x', 'code=x&state=other', 'error=access_denied&state=nope']) {
      assert.equal((await fetch(`${base}/oauth2callback?${query}`)).status, 400);
    }
    assert.deepEqual(codes, []);
    await fetch(`${base}/oauth2callback?code=good&state=the-state`);
    await callback.result;
    assert.deepEqual(codes, ['good']);
    await callback.close();
  });

  it('access_denied with the right state fails with an AuthError', async () => {
    const { callback, base } = await server();
    const res = await fetch(`${base}/oauth2callback?error=access_denied&error_description=nope&state=the-state`);
    assert.equal(res.status, 400);
    await assert.rejects(callback.result, (error: unknown) => error instanceof AuthError && /denied/.test(error.message));
    await callback.close();
  });

  it('an exchange failure shows the failure page and rejects', async () => {
    const { callback, base } = await server(async () => {
      throw new Error('RingCentral refused the authorization code');
    });
    const res = await fetch(`${base}/oauth2callback?code=abc&state=the-state`);
    assert.equal(res.url, `${base}/failure`);
    assert.match(await res.text(), /RingCentral refused the authorization code/);
    await assert.rejects(callback.result, /refused/);
    await callback.close();
  });

  it('pasted URLs: wrong state is refused, the right one accepted', async () => {
    const { callback, codes, port } = await server();
    assert.equal(await callback.submit(`http://localhost:${port}/oauth2callback?code=a&state=bad`), 'wrong-state');
    assert.equal(await callback.submit('not a url'), 'not-a-callback');
    assert.equal(await callback.submit(`http://localhost:${port}/elsewhere?code=a&state=the-state`), 'not-a-callback');
    assert.equal(await callback.submit(`http://localhost:${port}/oauth2callback?code=a&state=the-state`), 'accepted');
    await callback.result;
    assert.deepEqual(codes, ['a']);
    await callback.close();
  });

  it('close() releases the port at once when nothing was received', async () => {
    const { callback, port } = await server();
    const keepAlive = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    assert.equal(keepAlive.status, 404);
    const started = Date.now();
    await callback.close();
    assert.ok(Date.now() - started < 500);
    const again = await startCallbackServer({
      redirectUri: `http://localhost:${port}/oauth2callback`,
      state: 's',
      onCode: async () => undefined,
    });
    await again.close();
  });
});

describe('a malformed request to the listener', () => {
  it('`GET //[` is answered 400 and the login keeps waiting for the real callback', async () => {
    const { callback, codes, base, port } = await server();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET //[ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400/);
    const res = await fetch(`${base}/oauth2callback?code=abc&state=the-state`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    await callback.result;
    assert.deepEqual(codes, ['abc']);
    await callback.close();
  });
});
