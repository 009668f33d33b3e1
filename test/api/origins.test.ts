import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayCarrySession } from '../../src/api/origins.js';

/** Where the session's token may go (recording content, redirects). */

const carries = (url: string, server: string) => mayCarrySession(new URL(url), server);

describe('mayCarrySession', () => {
  it("the API server's origin and the same platform's media origin", () => {
    assert.equal(carries('https://platform.ringcentral.com/restapi/v1.0/x', 'https://platform.ringcentral.com'), true);
    assert.equal(
      carries('https://media.ringcentral.com/restapi/v1.0/account/1/recording/2/content', 'https://platform.ringcentral.com'),
      true,
    );
    assert.equal(carries('https://media.ringcentral.biz/r', 'https://platform.ringcentral.biz'), true);
    assert.equal(carries('https://media.devtest.ringcentral.com/r', 'https://platform.devtest.ringcentral.com'), true);
  });

  it('never another host, scheme or port, nor a look-alike', () => {
    const server = 'https://platform.ringcentral.com';
    for (const url of [
      'http://media.ringcentral.com/r',
      'https://media.ringcentral.com:8443/r',
      'https://media.ringcentral.biz/r',
      'https://media.ringcentral.com.evil.example/r',
      'https://evil.example/r',
      'https://cdn.ringcentral.com/r',
      'https://platform.ringcentral.com:444/r',
    ]) {
      assert.equal(carries(url, server), false, url);
    }
    // A server that is not RingCentral's has no media origin of its own.
    assert.equal(carries('https://media.example.com/r', 'https://platform.example.com'), false);
  });

  it('a loopback server: the same loopback host on any port, not another one', () => {
    assert.equal(carries('http://127.0.0.1:9/r', 'http://127.0.0.1:8080'), true);
    assert.equal(carries('http://127.0.0.2:9/r', 'http://127.0.0.1:8080'), false);
    assert.equal(carries('http://localhost:9/r', 'http://127.0.0.1:8080'), false);
    assert.equal(carries('https://media.ringcentral.com/r', 'http://127.0.0.1:8080'), false);
  });
});
