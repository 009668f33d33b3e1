import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFormat } from '../../src/export/run-export.js';

describe('chooseFormat', () => {
  it('a table on a terminal, the command’s piped format otherwise; --format wins, but never a table into a file', () => {
    assert.equal(chooseFormat(undefined, 'ndjson', true, undefined), 'table');
    assert.equal(chooseFormat(undefined, 'ndjson', false, undefined), 'ndjson');
    assert.equal(chooseFormat(undefined, 'json', true, 'out.json'), 'json');
    assert.equal(chooseFormat('csv', 'json', true, undefined), 'csv');
    assert.throws(() => chooseFormat('table', 'json', false, 'out.txt'), /--format table is for terminals/);
  });
});
