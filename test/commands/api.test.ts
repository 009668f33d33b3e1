import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery } from '../../src/commands/api.js';

describe('parseQuery (api --query, -f)', () => {
  it('repeats keys into lists and refuses pairs without a key', () => {
    assert.deepEqual(parseQuery(['status=Enabled', 'status=Disabled', 'perPage=5', 'q=a=b']), {
      status: ['Enabled', 'Disabled'],
      perPage: '5',
      q: 'a=b',
    });
    assert.throws(() => parseQuery(['=x']), /--query: "=x" is not key=value/);
    assert.throws(() => parseQuery(['novalue']), /is not key=value/);
  });
});
