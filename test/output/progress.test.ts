import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress } from '../../src/output/progress.js';

/** The progress line on stderr: counts, rate, and what an archive adds (recordings and bytes). */

function capture() {
  let text = '';
  const write = (chunk: string) => {
    text += chunk;
    return true;
  };
  const stream = { write } as unknown as NodeJS.WritableStream;
  return { stream, text: () => text };
}

describe('createProgress', () => {
  it('draws records, pages, rate and the detail on one line, redrawn in place', () => {
    let now = 0;
    const out = capture();
    const progress = createProgress(true, () => now, out.stream);
    now = 2000;
    progress.update(2000, 2, '3 recordings · 1.5 MB');
    assert.equal(out.text(), '\r\x1b[K2,000 records · 2 pages · 1,000/s · 3 recordings · 1.5 MB');
    progress.update(2500, 3);
    assert.ok(out.text().endsWith('\r\x1b[K2,500 records · 3 pages · 1,250/s'));
    progress.done();
    assert.ok(out.text().endsWith('\r\x1b[K'));
  });

  it('draws nothing when disabled (stderr is not a terminal)', () => {
    const out = capture();
    const progress = createProgress(false, () => 0, out.stream);
    progress.update(5, 1, '1 recordings · 1 KB');
    progress.done();
    assert.equal(out.text(), '');
  });
});
