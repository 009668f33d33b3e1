import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_STYLES } from '../../src/output/colors.js';
import { CALL_LOG_FIELDS } from '../../src/output/fields.js';
import { createLogger } from '../../src/output/logger.js';
import { printable } from '../../src/output/printable.js';
import { StreamTable } from '../../src/output/stream-table.js';

/** Whether text still holds anything a terminal would act on (newlines aside). */
function actionable(text: string): boolean {
  return [...text].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f) || char === '\u202e';
  });
}

const HOSTILE =
  'Eve\u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil\u001b\\\\link\u001b]8;;\u001b\\\\\u0000\r\u0085\u202eoiv\nsecond line';

describe('printable', () => {
  it('shows control characters, C1 and bidi overrides as \\u escapes; keeps newlines only when asked', () => {
    const safe = printable(HOSTILE);
    assert.ok(!actionable(safe) && !safe.includes('\n'));
    assert.match(safe, /Eve\\u001b\[2J\\u001b\]0;pwned\\u0007/);
    assert.match(safe, /\\u000asecond line$/);
    assert.match(printable('a\nb', { keepNewlines: true }), /^a\nb$/);
    assert.equal(printable('Zoë Ñandú 日本 +1 (650)'), 'Zoë Ñandú 日本 +1 (650)');
  });

  it('a caller-ID name cannot clear the screen or split a table row, and log lines are made safe too', async () => {
    const table = new StreamTable(CALL_LOG_FIELDS.table, { styles: NO_STYLES, width: 200, utc: true }).rows([
      { startTime: '2026-01-01T00:00:00Z', from: { name: HOSTILE }, to: { name: 'ok' } },
    ]);
    assert.ok(!actionable(table));
    assert.equal(table.trim().split('\n').length, 2, 'header and one row: the name did not split the row');
    let written = '';
    const stream = {
      write(text: string) {
        written += text;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const logger = createLogger({ stream });
    logger.warn(`name ${HOSTILE}`);
    assert.ok(!actionable(written));
  });
});
