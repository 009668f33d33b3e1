import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRange, parseSpan, parseWhen, splitRange } from '../../src/config/dates.js';
import { UsageError } from '../../src/errors.js';

/** An injected clock: 2026-03-15 14:30 local time. */
const NOW = new Date(2026, 2, 15, 14, 30, 0);

describe('parseWhen', () => {
  it('reads keywords, spans and ISO 8601 against the injected clock', () => {
    assert.equal(parseWhen('now', '--to', NOW).getTime(), NOW.getTime());
    assert.equal(parseWhen('today', '--from', NOW).getTime(), new Date(2026, 2, 15).getTime());
    assert.equal(parseWhen('yesterday', '--from', NOW).getTime(), new Date(2026, 2, 14).getTime());
    assert.equal(parseWhen('30m', '--from', NOW).getTime(), NOW.getTime() - 30 * 60_000);
    assert.equal(parseWhen('24h', '--from', NOW).getTime(), NOW.getTime() - 86_400_000);
    assert.equal(parseWhen('7d', '--from', NOW).getTime(), NOW.getTime() - 7 * 86_400_000);
    assert.equal(parseWhen('2w', '--from', NOW).getTime(), NOW.getTime() - 14 * 86_400_000);
    assert.equal(parseWhen('2026-03-01', '--from', NOW).getTime(), new Date(2026, 2, 1).getTime(), 'a date is local midnight');
    assert.equal(parseWhen('2026-03-01T09:30:00Z', '--from', NOW).toISOString(), '2026-03-01T09:30:00.000Z');
    assert.equal(parseWhen('2026-03-01T09:30:00+02:00', '--from', NOW).toISOString(), '2026-03-01T07:30:00.000Z');
  });

  for (const bad of ['2026-02-30', '2026-13-01', 'tomorrowish', '7 days', '-7d', '2026/03/01', '', '5y']) {
    it(`refuses "${bad}", naming the flag`, () => {
      assert.throws(
        () => parseWhen(bad, '--from', NOW),
        (error: unknown) => error instanceof UsageError && error.message.startsWith('--from:'),
      );
    });
  }
});

describe('parseRange', () => {
  it('defaults to the 24 hours before --to, which defaults to now', () => {
    const range = parseRange(undefined, undefined, NOW);
    assert.equal(range.to.getTime(), NOW.getTime());
    assert.equal(range.from.getTime(), NOW.getTime() - 86_400_000);
  });

  it('refuses --from after --to', () => {
    assert.throws(() => parseRange('today', 'yesterday', NOW), /--from .* must be before --to/);
  });
});

describe('parseSpan and splitRange', () => {
  it('reads 30m, 24h, 1d, 2w and refuses anything else', () => {
    assert.equal(parseSpan('30m', '--overlap'), 30 * 60_000);
    assert.equal(parseSpan(' 2w ', '--window'), 14 * 86_400_000);
    for (const bad of ['0m', '5', '1y', '-1d', '']) assert.throws(() => parseSpan(bad, '--window'), /--window: ".*" is not a span/);
  });

  it('splits a range into consecutive windows, oldest first, the last one cut at the end', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const to = new Date('2026-11-03T12:00:00Z');
    const windows = splitRange({ from, to }, 86_400_000).map((w) => [w.from.toISOString(), w.to.toISOString()]);
    assert.deepEqual(windows, [
      ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
      ['2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
      ['2026-11-03T00:00:00.000Z', '2026-11-03T12:00:00.000Z'],
    ]);
    assert.deepEqual(splitRange({ from, to }, undefined), [{ from, to }]);
  });
});
