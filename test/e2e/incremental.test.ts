import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { groundTruth, signedIn } from '../helpers/signed-in.js';

/** Scheduled exports: consecutive --since-state runs add up to the ground truth, no gaps, no duplicates. */

const s = await signedIn({ callLog: 3000 });
const run = (args: string[]) => runCli(['call-log', '--scope', 'account', ...args], { env: s.env, cwd: s.configDir });
const idsIn = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).id as string);
const addCalls = (count: number) => fetch(`${s.emulator.url}/__emulator/calls?count=${count}`, { method: 'POST' });

describe('--since-state', () => {
  it('three runs with new calls in between, plus a run killed mid-way and rerun: exactly the ground truth', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const from = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const files: string[] = [];
    const exportTo = async (name: string, extra: string[] = []) => {
      const file = join(dir, name);
      const result = await run(['--since-state', state, '-f', 'ndjson', '-o', file, ...extra]);
      assert.equal(result.code, 0, result.stderr);
      files.push(file);
    };
    await exportTo('run1.ndjson', ['--from', from]);
    await addCalls(5);
    await exportTo('run2.ndjson');
    await addCalls(7);
    await exportTo('run3.ndjson');
    // Run 3 starts 5 minutes before run 2 ended, over run 2's five new calls: the state's ids keep them out.
    assert.equal(JSON.parse(readFileSync(state, 'utf8')).overlapIds.length >= 7, true);
    assert.equal(idsIn(files[2] ?? '').length, 7);

    // A run killed while it exports: no output file, the state as it was.
    await addCalls(4);
    const before = readFileSync(state, 'utf8');
    s.emulator.setFaults('slow:1');
    const killed = startCli(['call-log', '--scope', 'account', '--since-state', state, '-o', join(dir, 'run4.ndjson')], {
      env: s.env,
      cwd: s.configDir,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    killed.child.kill('SIGKILL');
    await killed.done;
    s.emulator.setFaults('none');
    assert.equal(readFileSync(state, 'utf8'), before);
    assert.equal(existsSync(join(dir, 'run4.ndjson')), false);
    await exportTo('run4.ndjson');

    const all = files.flatMap(idsIn);
    assert.equal(new Set(all).size, all.length, 'no record twice');
    const truth = (await groundTruth(s.emulator)).filter((r) => r.startTime >= from).map((r) => r.id);
    assert.deepEqual([...all].sort(), [...truth].sort());
  });

  it('--window splits the range and checkpoints after each window (stdout)', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const result = await run(['--since-state', state, '--from', from, '--window', '1d']);
    assert.equal(result.code, 0, result.stderr);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id as string);
    const truth = (await groundTruth(s.emulator)).filter(
      (r) => r.startTime >= from && r.startTime < JSON.parse(readFileSync(state, 'utf8')).dateTo,
    );
    assert.deepEqual([...ids].sort(), truth.map((r) => r.id).sort());
    assert.equal(new Set(ids).size, ids.length);
  });

  it('needs --from the first time, refuses --from later, and names a damaged state file', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const first = await run(['--since-state', state]);
    assert.equal(first.code, 2);
    assert.match(first.stderr, /first run needs --from/);
    assert.equal((await run(['--since-state', state, '--from', '1d', '-o', join(dir, 'x.ndjson')])).code, 0);
    const again = await run(['--since-state', state, '--from', '1d']);
    assert.equal(again.code, 2);
    writeFileSync(state, '{"version":1,');
    const damaged = await run(['--since-state', state]);
    assert.equal(damaged.code, 2);
    assert.match(damaged.stderr, /is not a call-log state file/);
  });
});
