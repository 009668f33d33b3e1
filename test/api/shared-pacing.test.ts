import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SharedPacing } from '../../src/api/shared-pacing.js';
import { tempDir } from '../helpers/env.js';

const headers = (remaining: number) =>
  new Headers({
    'X-Rate-Limit-Group': 'Heavy',
    'X-Rate-Limit-Limit': '10',
    'X-Rate-Limit-Window': '60',
    'X-Rate-Limit-Remaining': String(remaining),
  });

describe('SharedPacing', () => {
  it('leaves no file while a process is alone; once another is seen, slots are shared, one kept spare', async () => {
    const file = join(tempDir(), 'default.json.pacing');
    const a = new SharedPacing(file);
    assert.equal(await a.reserve('/call-log', 1000), undefined, 'no ledger: the process paces itself');
    await a.learn('/call-log', headers(9), false);
    assert.equal(existsSync(file), false, 'alone: nothing written');
    await a.learn('/call-log', headers(6), true);
    assert.ok(existsSync(file));
    // The server counted 4: the ledger starts there; one process alone gets the other 6.
    const now = Date.now();
    const b = new SharedPacing(file);
    for (let i = 0; i < 6; i++) assert.equal(await b.reserve('/call-log', now + i), 0);
    const wait = (await a.reserve('/call-log', now + 10)) ?? 0;
    assert.ok(wait > 59_000 && wait <= 60_250, `waits for the oldest slot (${wait} ms)`);
  });

  it('while another process sends, one slot of the window stays spare', async () => {
    const file = join(tempDir(), 'default.json.pacing');
    const a = new SharedPacing(file);
    await a.learn('/call-log', headers(10), true);
    const now = Date.now();
    const ledger = JSON.parse(readFileSync(file, 'utf8'));
    ledger.groups.Heavy.senders = { 1: now };
    writeFileSync(file, JSON.stringify(ledger));
    for (let i = 0; i < 9; i++) assert.equal(await a.reserve('/call-log', now + i), 0);
    assert.ok(((await a.reserve('/call-log', now + 20)) ?? 0) > 59_000, 'the tenth slot is kept');
  });

  it('a 429 holds every process until the penalty ends', async () => {
    const file = join(tempDir(), 'default.json.pacing');
    const a = new SharedPacing(file);
    const b = new SharedPacing(file);
    await a.learn('/call-log', headers(9), true);
    await a.block('/call-log', 50_000);
    assert.equal(await b.reserve('/call-log', 20_000), 30_000);
    assert.equal(await b.reserve('/call-log', 50_001), 0);
  });

  it('a damaged ledger is started again, never an error', async () => {
    const dir = tempDir();
    const file = join(dir, 'default.json.pacing');
    writeFileSync(file, '{not json');
    const a = new SharedPacing(file);
    assert.equal(await a.reserve('/call-log', 1000), undefined);
    await a.learn('/call-log', headers(5), true);
    assert.equal(await a.reserve('/call-log', 2000), 0);
  });

  it('a slot is counted from the answer: a slow request frees its slot later', async () => {
    const file = join(tempDir(), 'default.json.pacing');
    const a = new SharedPacing(file);
    await a.learn('/call-log', headers(5), true);
    const now = Date.now();
    // The server counted 5; five more slots, the last one's request answered 10 s later.
    for (let i = 0; i < 5; i++) assert.equal(await a.reserve('/call-log', now + i), 0);
    await a.settle('/call-log', now + 4, now + 10_000);
    const ledger = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(Math.max(...ledger.groups.Heavy.sends), now + 10_000);
    assert.ok(!ledger.groups.Heavy.sends.includes(now + 4));
  });
});
