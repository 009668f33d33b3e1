import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFaults, parseRateLimits } from '../../emulator/options.js';
import { apiGet, BASIC, jwtLogin, postForm, stats, useEmulator } from '../helpers/emulator.js';
import { assertValid, specValidators } from '../helpers/spec.js';

const [spec] = specValidators();

describe('rate limits', () => {
  it('every response carries X-Rate-Limit-* for its group', async () => {
    const emulator = await useEmulator({ rateLimits: parseRateLimits('default') });
    const tokens = await jwtLogin(emulator);
    for (const [path, group, limit] of [
      ['/restapi/v1.0/account/~', 'light', '50'],
      ['/restapi/v1.0/account/~/extension', 'medium', '40'],
      ['/restapi/v1.0/account/~/call-log', 'heavy', '10'],
    ]) {
      const res = await apiGet(emulator, path ?? '', tokens.access_token);
      assert.equal(res.headers.get('x-rate-limit-group'), group);
      assert.equal(res.headers.get('x-rate-limit-limit'), limit);
      assert.equal(res.headers.get('x-rate-limit-remaining'), String(Number(limit) - 1));
      assert.equal(res.headers.get('x-rate-limit-window'), '60');
    }
  });

  it('over the limit: 429 CMN-301 with Retry-After; requests during the penalty extend it', async () => {
    const emulator = await useEmulator({ rateLimits: parseRateLimits('heavy=3/1') });
    const tokens = await jwtLogin(emulator);
    const call = () => apiGet(emulator, '/restapi/v1.0/account/~/call-log?perPage=1', tokens.access_token);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call()).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    const limited = await call();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(limited.headers.get('x-rate-limit-remaining'), '0');
    const body = (await limited.json()) as { errors: { errorCode: string }[] };
    assert.equal(body.errors[0]?.errorCode, 'CMN-301');
    if (spec) assertValid(spec.component('TooManyRequests'), body, '429 body');
    // Keep knocking every 600 ms: each knock restarts the 1 s penalty, so it never ends.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal((await call()).status, 429);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await call()).status, 200);
    assert.equal((await stats(emulator)).throttled, 4);
    // Other groups are counted separately.
    assert.equal((await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token)).status, 200);
  });

  it('the sliding window admits a request once the oldest one leaves it', async () => {
    const emulator = await useEmulator({ rateLimits: parseRateLimits('light=2/1') });
    const tokens = await jwtLogin(emulator);
    const call = () => apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token);
    assert.equal((await call()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await call()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await call()).status, 200);
  });

  it('the Auth group limits token requests', async () => {
    const emulator = await useEmulator({ rateLimits: parseRateLimits('auth=2/60') });
    await jwtLogin(emulator);
    await jwtLogin(emulator);
    const res = await postForm(
      `${emulator.url}/restapi/oauth/token`,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: emulator.jwt },
      { Authorization: BASIC },
    );
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-rate-limit-group'), 'auth');
  });

  it('parses specs and rejects bad ones', () => {
    assert.equal(parseRateLimits('off'), null);
    assert.deepEqual(parseRateLimits('heavy=10/2')?.heavy, { requests: 10, windowSeconds: 2, penaltySeconds: 2 });
    assert.equal(parseRateLimits('default')?.auth.requests, 5);
    assert.throws(() => parseRateLimits('heavy=ten/2'), /--rate-limits/);
    assert.throws(() => parseRateLimits('huge=1/1'), /--rate-limits/);
  });
});

describe('fault injection', () => {
  it('injects 500, 503, resets and slow responses on API requests only, at roughly the asked rates', async () => {
    const emulator = await useEmulator({ faults: parseFaults('500:0.2,503:0.2,reset:0.2') });
    const tokens = await jwtLogin(emulator);
    const seen = { ok: 0, 500: 0, 503: 0, reset: 0 };
    for (let i = 0; i < 200; i++) {
      try {
        const res = await apiGet(emulator, '/restapi/v1.0/account/~/call-log?perPage=20', tokens.access_token);
        const body = (await res.json()) as { errors: { errorCode: string }[] };
        if (res.status === 200) seen.ok += 1;
        else if (res.status === 500 || res.status === 503) {
          seen[res.status] += 1;
          assert.equal(body.errors[0]?.errorCode, 'CMN-201');
        } else assert.fail(`unexpected ${res.status}`);
      } catch (error) {
        assert.ok(!(error instanceof assert.AssertionError), String(error));
        seen.reset += 1;
      }
    }
    for (const kind of ['500', '503', 'reset'] as const) assert.ok(seen[kind] > 15 && seen[kind] < 70, `${kind}: ${seen[kind]}`);
    assert.equal((await stats(emulator)).faults, seen[500] + seen[503] + seen.reset);
    // OAuth endpoints are never faulted.
    for (let i = 0; i < 10; i++) await jwtLogin(emulator);
  });

  it('slow delays a response by about 2 seconds', async () => {
    const emulator = await useEmulator({ faults: parseFaults('slow:1') });
    const tokens = await jwtLogin(emulator);
    const started = Date.now();
    const res = await apiGet(emulator, '/restapi/v1.0/account/~', tokens.access_token);
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 1900);
  });

  it('parses specs and rejects bad ones', () => {
    assert.deepEqual(parseFaults('500:0.05,reset:0.1'), [
      { kind: 500, probability: 0.05 },
      { kind: 'reset', probability: 0.1 },
    ]);
    assert.throws(() => parseFaults('404:0.1'), /--faults/);
    assert.throws(() => parseFaults('500:2'), /--faults/);
    assert.throws(() => parseFaults('500:0.6,503:0.6'), /add up/);
  });
});
