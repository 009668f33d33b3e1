import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFormat, pageTaker } from '../../src/export/run-export.js';

describe('chooseFormat', () => {
  it('a table on a terminal, the command’s piped format otherwise; --format wins, but never a table into a file', () => {
    assert.equal(chooseFormat(undefined, 'ndjson', true, undefined), 'table');
    assert.equal(chooseFormat(undefined, 'ndjson', false, undefined), 'ndjson');
    assert.equal(chooseFormat(undefined, 'json', true, 'out.json'), 'json');
    assert.equal(chooseFormat('csv', 'json', true, undefined), 'csv');
    assert.throws(() => chooseFormat('table', 'json', false, 'out.txt'), /--format table is for terminals/);
  });

  it('without --format, the --output extension says the format', () => {
    assert.equal(chooseFormat(undefined, 'json', false, 'calls.csv'), 'csv');
    assert.equal(chooseFormat(undefined, 'json', true, 'calls.TSV'), 'tsv');
    assert.equal(chooseFormat(undefined, 'json', false, 'calls.jsonl'), 'ndjson');
    assert.equal(chooseFormat(undefined, 'ndjson', false, 'calls.json'), 'json');
    assert.equal(chooseFormat(undefined, 'ndjson', false, 'calls.txt'), 'ndjson');
    assert.equal(chooseFormat('ndjson', 'json', false, 'calls.csv'), 'ndjson', '--format wins');
  });
});

describe('pageTaker', () => {
  const formatter = { page: (records: readonly unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`), end: async () => '' };

  it('drops a record repeated from the previous page, keeps records without an id, and cuts at --limit', () => {
    const take = pageTaker(undefined);
    assert.equal(take([{ id: 1 }, { id: 2 }], formatter).count, 2);
    const second = take([{ id: 2 }, { id: 3 }, { name: 'no id' }, { name: 'no id' }], formatter);
    assert.deepEqual(second.chunks, ['{"id":3}\n', '{"name":"no id"}\n', '{"name":"no id"}\n']);
    const limited = pageTaker(3);
    assert.equal(limited([{ id: 1 }, { id: 2 }], formatter).count, 2);
    assert.equal(limited([{ id: 3 }, { id: 4 }], formatter).count, 1);
  });
});
