import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, sleep } from '../../src/api/retry.js';
import { InterruptedError } from '../../src/errors.js';

describe('backoffMs and sleep', () => {
  it('backs off exponentially with jitter, capped at 30 s', () => {
    assert.equal(
      backoffMs(1, () => 0.5),
      500,
    );
    assert.equal(
      backoffMs(3, () => 0.5),
      2000,
    );
    assert.equal(
      backoffMs(20, () => 0.5),
      30_000,
    );
    assert.equal(
      backoffMs(1, () => 0),
      400,
    );
  });

  it('sleep ends early with InterruptedError when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(sleep(10_000, controller.signal), InterruptedError);
    assert.ok(Date.now() - started < 5000);
  });
});
