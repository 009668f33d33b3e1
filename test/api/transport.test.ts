import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeKey } from '../../src/api/client.js';
import { proxyFor } from '../../src/api/proxy.js';
import { requestUrl } from '../../src/api/transport.js';

describe('requestUrl', () => {
  it('joins path and query, repeating keys for arrays, and keeps absolute navigation links', () => {
    assert.equal(
      requestUrl('https://platform.example.com', '/restapi/v1.0/account/~/extension', {
        status: ['Enabled', 'Disabled'],
        perPage: 100,
        x: undefined,
      }),
      'https://platform.example.com/restapi/v1.0/account/~/extension?status=Enabled&status=Disabled&perPage=100',
    );
    assert.equal(requestUrl('https://a.example.com', 'https://a.example.com/p?page=2', undefined), 'https://a.example.com/p?page=2');
  });
});

describe('proxyFor', () => {
  const url = (text: string) => new URL(text);
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, never for loopback, and honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://plain:3128', NO_PROXY: '.internal.example.com,other:8443' };
    assert.equal(proxyFor(url('https://platform.ringcentral.com/x'), env), 'http://proxy:3128');
    assert.equal(proxyFor(url('http://emulator.localhost:8080/x'), env), 'http://plain:3128');
    for (const direct of [
      'http://127.0.0.1:8080',
      'http://localhost:1',
      'http://[::1]:2',
      'https://a.internal.example.com',
      'https://other:8443',
    ]) {
      assert.equal(proxyFor(url(direct), env), undefined, direct);
    }
    assert.equal(proxyFor(url('https://other:443'), env), 'http://proxy:3128', 'NO_PROXY with a port matches that port only');
    assert.equal(proxyFor(url('https://x.example.com'), {}), undefined);
  });
});

describe('routeKey (what the pacer counts by)', () => {
  it('folds numeric account and extension ids to ~, so canonical navigation links share their group', () => {
    assert.equal(routeKey('http://h/restapi/v1.0/account/400001751869/call-log?page=2'), '/restapi/v1.0/account/~/call-log');
    assert.equal(routeKey('/restapi/v1.0/account/~/extension/62000000012/call-log'), '/restapi/v1.0/account/~/extension/~/call-log');
    assert.equal(routeKey('/restapi/v1.0/account/~/extension'), '/restapi/v1.0/account/~/extension');
    // Each recording is the same endpoint (and group) as the next, on whichever origin.
    assert.equal(
      routeKey('http://media/restapi/v1.0/account/400001751869/recording/1000000123/content'),
      '/restapi/v1.0/account/~/recording/~/content',
    );
  });
});
