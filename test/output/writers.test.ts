import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { NO_STYLES } from '../../src/output/colors.js';
import { CALL_LOG_FIELDS, parseFields, pick, spreadsheetSafe } from '../../src/output/fields.js';
import type { Format } from '../../src/output/formats.js';
import { formatDuration, formatTime, StreamTable } from '../../src/output/stream-table.js';
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

describe('streaming tables', () => {
  const call = {
    startTime: '2026-11-29T19:41:36.123Z',
    duration: 3725,
    direction: 'Inbound',
    result: 'Accepted',
    from: { phoneNumber: '+16505550100', name: 'Jordan Example' },
    to: { phoneNumber: '+16505551007', extensionNumber: '101', name: 'Alex Morgan' },
  };
  const table = (width: number) => new StreamTable(CALL_LOG_FIELDS.table, { styles: NO_STYLES, width, utc: true });

  it('rows stream (the header once, before the first row); headers are never cut; times and durations read as people read them', () => {
    const t = table(200);
    const first = t.rows([call]);
    const second = t.rows([{ ...call, duration: 65 }]);
    const [header, row] = first.split('\n');
    assert.match(header ?? '', /^Start\s+Duration\s+Direction\s+Result\s+From\s+To\s+Extension$/);
    assert.match(
      row ?? '',
      /^2026-11-29 19:41:36 +1:02:05 +Inbound +Accepted +\+16505550100 Jordan Example +\+16505551007 Alex Morgan +101$/,
    );
    assert.match(second, /^2026-11-29 19:41:36 +1:05 +Inbound/);
    assert.equal(second.split('\n').length, 2, 'no second header');
    assert.equal(t.end(), '');
    assert.equal(table(80).end(), '(no records)\n');
  });

  it('at 80 columns the least important columns go, the rest keep their headers whole; nothing is wider than the terminal', () => {
    for (const width of [60, 80, 120, 200]) {
      const text = table(width).rows([call, call]);
      for (const line of text.trimEnd().split('\n')) assert.ok([...line].length <= width, `${width}: ${line}`);
      const header = text.split('\n')[0] ?? '';
      for (const word of header.trim().split(/\s+/))
        assert.ok(['Start', 'Duration', 'Direction', 'Result', 'From', 'To', 'Extension'].includes(word));
    }
    assert.doesNotMatch(table(80).rows([call]).split('\n')[0] ?? '', /Extension/);
    assert.match(table(200).rows([call]).split('\n')[0] ?? '', /Extension/);
  });

  it('local time unless --utc; durations m:ss and h:mm:ss', () => {
    assert.equal(formatTime('2026-11-29T19:41:36.123Z', true), '2026-11-29 19:41:36');
    const local = new Date('2026-11-29T19:41:36.123Z');
    assert.equal(formatTime('2026-11-29T19:41:36.123Z', false).slice(11, 13), String(local.getHours()).padStart(2, '0'));
    assert.deepEqual([0, 5, 65, 599, 3600, 86399].map(formatDuration), ['0:00', '0:05', '1:05', '9:59', '1:00:00', '23:59:59']);
    assert.equal(formatDuration(undefined), '');
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
