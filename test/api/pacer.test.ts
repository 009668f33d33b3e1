import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, retryAfterMs } from '../../src/api/pacer.js';

const headers = (remaining: number, limit = 3, window = 2) =>
  new Headers({
    'X-Rate-Limit-Group': 'heavy',
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Window': String(window),
  });

describe('Pacer', () => {
  it('sends freely until the window is full, then waits for the oldest request to leave it', () => {
    const pacer = new Pacer();
    assert.equal(pacer.delayFor('/call-log', 0), 0);
    pacer.record('/call-log', headers(2), 100);
    pacer.record('/call-log', headers(1), 200);
    assert.equal(pacer.delayFor('/call-log', 250), 0);
    pacer.record('/call-log', headers(0), 300);
    assert.equal(pacer.delayFor('/call-log', 350), 100 + 2000 + 50 - 350);
    assert.equal(pacer.delayFor('/call-log', 2200), 0, 'the oldest has left the window');
  });

  it('trusts the server when another process spends the same budget', () => {
    const pacer = new Pacer();
    pacer.record('/call-log', headers(0, 10, 60), 1000);
    assert.equal(pacer.delayFor('/call-log', 1000), 1000 + 60_000 + 50 - 1000);
  });

  it('a route not answered yet waits as the fullest group would (recording content after call-log pages)', () => {
    const pacer = new Pacer();
    pacer.record('/call-log', headers(2), 100);
    pacer.record('/call-log', headers(1), 200);
    pacer.record('/call-log', headers(0), 300);
    assert.equal(pacer.delayFor('/recording/~/content', 350), 100 + 2000 + 50 - 350);
    pacer.record('/recording/~/content', new Headers({ ...Object.fromEntries(headers(0)), 'X-Rate-Limit-Group': 'light' }), 2200);
    assert.equal(pacer.delayFor('/recording/~/content', 2300), 2200 + 2000 + 50 - 2300, 'once answered, its own group');
  });

  it('ignores responses without rate-limit headers', () => {
    const pacer = new Pacer();
    pacer.record('/x', new Headers(), 0);
    assert.equal(pacer.delayFor('/x', 0), 0);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date; 30 s when absent', () => {
    assert.equal(retryAfterMs('2', 0), 2000);
    assert.equal(retryAfterMs(null, 0), 30_000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')), 10_000);
    assert.equal(retryAfterMs('soon', 0), 30_000);
  });
});

describe('hostile rate-limit answers', () => {
  it('Retry-After of 0, a negative one or a huge one is clamped to 1 s .. 1 h', () => {
    assert.equal(retryAfterMs('0', 0), 1000);
    assert.equal(retryAfterMs('-5', 0), 1000);
    assert.equal(retryAfterMs('99999999999', 0), 3_600_000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.now()), 1000, 'a date in the past');
  });

  it('a rate-limit window no real group has is ignored, not turned into an instant retry', () => {
    const pacer = new Pacer();
    const huge = new Headers({
      'X-Rate-Limit-Group': 'heavy',
      'X-Rate-Limit-Limit': '1',
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Window': '999999999999',
    });
    pacer.record('/x', huge, 0);
    pacer.record('/x', huge, 1);
    assert.equal(pacer.delayFor('/x', 2), 0);
  });
});
