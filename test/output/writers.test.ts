import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { NO_STYLES } from '../../src/output/colors.js';
import { CALL_LOG_FIELDS, parseFields, pick, spreadsheetSafe } from '../../src/output/fields.js';
import type { Format } from '../../src/output/formats.js';
import { createFormatter } from '../../src/output/writers.js';

const RECORDS = [
  { id: 'a', startTime: '2026-01-01T00:00:00Z', from: { phoneNumber: '+1', name: 'Smith, "Jo"\nLine' }, legs: [{ x: 1 }] },
  { id: 'b', startTime: '2026-01-01T00:01:00Z', from: { phoneNumber: '+2' } },
];

async function render(format: Format, fields?: string[], pages: unknown[][] = [RECORDS]): Promise<string> {
  const formatter = await createFormatter({ format, fields, catalog: CALL_LOG_FIELDS, styles: NO_STYLES, width: 80 });
  let text = '';
  for (const page of pages) text += formatter.page(page).join('');
  return text + (await formatter.end());
}

describe('formatters', () => {
  it('json streams one array across pages; an empty result is []', async () => {
    assert.deepEqual(JSON.parse(await render('json', undefined, [RECORDS.slice(0, 1), [], RECORDS.slice(1)])), RECORDS);
    assert.equal(await render('json', undefined, []), '[]\n');
  });

  it('csv quotes commas, quotes and newlines (RFC 4180) and flattens nested values', async () => {
    const text = await render('csv', ['id', 'from.name', 'legs']);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(rows[0]?.['from.name'], 'Smith, "Jo"\nLine');
    assert.equal(rows[0]?.legs, '[{"x":1}]');
    assert.equal(rows[1]?.legs, '');
  });

  it('an empty csv still has its header', async () => {
    assert.equal(await render('csv', ['id', 'startTime'], []), 'id,startTime\n');
  });

  it('--fields keeps nested shape for json; unknown fields are refused', () => {
    assert.deepEqual(pick(RECORDS[0], parseFields('id,from.phoneNumber', CALL_LOG_FIELDS)), { id: 'a', from: { phoneNumber: '+1' } });
    assert.throws(() => parseFields('id,fromm', CALL_LOG_FIELDS), /unknown field "fromm"/);
    assert.throws(() => parseFields(',', CALL_LOG_FIELDS), /no field/);
  });

  it('tables fit the width', async () => {
    const text = await render('table', ['id', 'startTime', 'from.name']);
    assert.ok(text.split('\n').every((line) => [...line].length <= 80));
  });
});

describe('CSV formula injection', () => {
  it("cells a spreadsheet would run get a leading ', numbers and phone numbers stay as they are", () => {
    for (const [input, output] of [
      ['=HYPERLINK("http://x","click")', `'=HYPERLINK("http://x","click")`],
      ['@SUM(A1)', `'@SUM(A1)`],
      ['-2+3+cmd', `'-2+3+cmd`],
      ['+1 (650) x', `'+1 (650) x`],
      ['\tx', `'\tx`],
      ['+16505551000', '+16505551000'],
      ['-12.5', '-12.5'],
      ['Alex Morgan', 'Alex Morgan'],
      ['', ''],
    ]) {
      assert.equal(spreadsheetSafe(input ?? ''), output);
    }
  });

  it('applies to csv and tsv unless --raw-csv, never to json', async () => {
    const hostile = [{ id: 'x', startTime: '2026-01-01T00:00:00Z', from: { phoneNumber: '+16505551000', name: '=cmd|calc' } }];
    assert.match(await render('csv', ['from.name', 'from.phoneNumber'], [hostile]), /^'=cmd\|calc,\+16505551000$/m);
    assert.match(await render('tsv', ['from.name'], [hostile]), /^'=cmd\|calc$/m);
    assert.match(await render('ndjson', ['from.name'], [hostile]), /"=cmd\|calc"/);
    const raw = await createFormatter({
      format: 'csv',
      fields: ['from.name'],
      catalog: CALL_LOG_FIELDS,
      styles: NO_STYLES,
      width: 80,
      rawCsv: true,
    });
    assert.match(raw.page(hostile).join(''), /^=cmd\|calc$/m);
  });
});
