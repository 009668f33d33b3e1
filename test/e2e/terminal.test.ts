import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/env.js';
import { runInPty, screenLines, shellQuote } from '../helpers/pty.js';
import { signedIn } from '../helpers/signed-in.js';

/** The CLI in a real pseudo-terminal, as a person sees it (util-linux `script`). */

const s = await signedIn({ callLog: 200_000 });
const TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const HEADERS = ['Start', 'Duration', 'Direction', 'Result', 'From', 'To', 'Extension'];
const env = (extra: Record<string, string> = {}) => ({ ...s.env, NO_COLOR: '1', PAGER: 'cat', ...extra });

describe('call-log on a terminal', () => {
  for (const columns of [80, 200]) {
    it(`at ${columns} columns: whole headers, local times, m:ss durations, nothing wider than the terminal`, async () => {
      const run = runInPty(['call-log', '--from', '31d', '--limit', '30'], { columns, env: env(), cwd: s.configDir });
      const { code } = await run.done;
      assert.equal(code, 0, run.output());
      const all = screenLines(run.output()).filter((line) => line.trim() !== '');
      assert.match(all[0] ?? '', /^Exporting the company's call log/, 'the chosen log is said on a terminal');
      const lines = all.slice(all.findIndex((line) => line.startsWith('Start')));
      const header = lines[0] ?? '';
      const words = header.trim().split(/\s+/);
      assert.ok(words.length >= 5 && words.every((word) => HEADERS.includes(word)), header);
      if (columns === 200) assert.deepEqual(words, HEADERS);
      const rows = lines.slice(1);
      assert.equal(rows.length, 30);
      for (const row of rows) {
        assert.match(row, TIME);
        assert.match(row, /\s\d+:\d\d(:\d\d)?\s/, 'a duration as m:ss');
        assert.ok([...row].length <= columns, row);
      }
    });
  }

  it('a progress line never lands inside data (CSV on the terminal, 20 pages)', async () => {
    const run = runInPty(['call-log', '--from', '31d', '-f', 'csv', '--page-size', '100', '--limit', '2000'], {
      columns: 120,
      env: env(),
      cwd: s.configDir,
    });
    const { code } = await run.done;
    assert.equal(code, 0);
    const lines = screenLines(run.output()).filter((line) => line.trim() !== '' && !line.startsWith('Exporting the company'));
    assert.equal(lines.length, 2001, 'a header and 2000 rows, each whole');
    assert.deepEqual(
      lines.filter((line) => /records ·|pages ·/.test(line)),
      [],
    );
    assert.ok(lines.slice(1).every((line) => /^[A-Za-z0-9]{15},/.test(line)));
  });

  it('the first rows of a 200,000-record table appear at once, and Ctrl-C ends it at once', async () => {
    const heavy = async () =>
      ((await (await fetch(`${s.emulator.url}/__emulator/stats`)).json()) as { groups: { heavy: number } }).groups.heavy;
    const before = await heavy();
    const run = runInPty(['call-log', '--from', '31d', '--limit', '200000'], { columns: 120, env: env(), cwd: s.configDir });
    // When the emulator has answered the first page (its count moves), and when the first row is on screen.
    let page = Number.POSITIVE_INFINITY;
    while ((await heavy()) === before) await new Promise((resolve) => setTimeout(resolve, 5));
    page = performance.now() - run.started;
    const first = await run.waitFor(/\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    await run.waitFor(/(\n\d{4}-\d\d-\d\d[^\n]*){1500}/);
    const pressed = performance.now();
    run.type('\x03');
    const { code, ms } = await run.done;
    const stopped = ms - (pressed - run.started);
    assert.equal(code, 130, run.output().slice(-300));
    assert.ok(first - page < 1000, `first rows ${Math.round(first - page)} ms after the first page`);
    assert.ok(stopped < 500, `stopped ${Math.round(stopped)} ms after Ctrl-C`);
    assert.match(run.output(), /interrupted/);
  });

  it('long output goes through the pager ($PAGER), short output does not; 50 rows unless --limit, with a footer', async () => {
    const dir = tempDir();
    const marker = join(dir, 'paged');
    const pager = `sh -c ${shellQuote(`touch ${marker}; cat`)}`;
    const long = runInPty(['call-log', '--from', '31d'], { columns: 120, rows: 24, env: env({ PAGER: pager }), cwd: s.configDir });
    assert.equal((await long.done).code, 0);
    assert.ok(existsSync(marker), 'paged');
    const rows = screenLines(long.output()).filter((line) => TIME.test(line));
    assert.equal(rows.length, 50);
    assert.match(long.output(), /Showing the first 50\. More: --limit N/);
    const markerShort = join(dir, 'paged-short');
    const short = runInPty(['call-log', '--from', '31d', '--limit', '5'], {
      columns: 120,
      rows: 24,
      env: env({ PAGER: `sh -c ${shellQuote(`touch ${markerShort}; cat`)}` }),
      cwd: s.configDir,
    });
    assert.equal((await short.done).code, 0);
    assert.equal(existsSync(markerShort), false, 'not paged');
    assert.doesNotMatch(short.output(), /Showing the first/);
  });

  it('> FILE: the progress line is shown on the terminal, and the file holds only data', async () => {
    const file = join(tempDir(), 'calls.ndjson');
    const run = runInPty(['call-log', '--from', '31d', '--page-size', '100', '--limit', '3000'], {
      columns: 120,
      env: env(),
      cwd: s.configDir,
      stdoutTo: file,
    });
    assert.equal((await run.done).code, 0);
    assert.match(run.output(), /\d[\d,]* records · \d+ pages · /);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3000);
    assert.ok(lines.every((line) => line.startsWith('{')));
  });

  it('-o FILE: a summary line when it is done', async () => {
    const file = join(tempDir(), 'calls.csv');
    const run = runInPty(['call-log', '--from', '31d', '--limit', '1167', '-o', file], { columns: 120, env: env(), cwd: s.configDir });
    assert.equal((await run.done).code, 0);
    assert.match(run.output(), new RegExp(`Wrote 1,167 records to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
