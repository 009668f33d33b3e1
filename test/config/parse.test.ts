import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopback, parseRedirectUri, parseServer } from '../../src/config/parse.js';
import { UsageError } from '../../src/errors.js';

describe('parseServer', () => {
  it('knows production and sandbox, and takes https URLs or http on loopback', () => {
    assert.equal(parseServer('production'), 'https://platform.ringcentral.com');
    assert.equal(parseServer('sandbox'), 'https://platform.devtest.ringcentral.com');
    assert.equal(parseServer('biz'), 'https://platform.ringcentral.biz');
    assert.equal(parseServer('https://platform.example.com/'), 'https://platform.example.com');
    assert.equal(parseServer('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  });

  for (const bad of [
    'platform.ringcentral.com',
    'http://platform.ringcentral.com',
    'ftp://x',
    'https://x.com/restapi',
    'https://x.com/?a=1',
  ]) {
    it(`refuses ${bad}`, () =>
      assert.throws(
        () => parseServer(bad),
        (error: unknown) => error instanceof UsageError && /--server/.test(error.message),
      ));
  }
});

describe('parseRedirectUri', () => {
  it('takes loopback http URIs with a port and a path', () => {
    for (const good of ['http://localhost:5000/oauth2callback', 'http://127.0.0.1:5001/cb', 'http://[::1]:5002/cb']) {
      assert.equal(parseRedirectUri(good), good);
    }
  });

  for (const [bad, why] of [
    ['https://localhost:5000/cb', /http/],
    ['http://example.com:5000/cb', /this machine/],
    ['http://localhost/cb', /port/],
    ['http://localhost:5000/', /path/],
    ['http://localhost:99999/cb', /not a URL/],
    ['nonsense', /not a URL/],
  ] as const) {
    it(`refuses ${bad}`, () => assert.throws(() => parseRedirectUri(bad), why));
  }
});

describe('isLoopback', () => {
  it('knows localhost, 127.0.0.0/8 and ::1, nothing that needs DNS', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.1', '[::1]', 'LOCALHOST']) assert.ok(isLoopback(host), host);
    for (const host of ['example.com', '10.0.0.1', 'localhost.example.com', '[::2]', '128.0.0.1', 'app.localhost'])
      assert.ok(!isLoopback(host), host);
  });
});
