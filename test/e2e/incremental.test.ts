import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EmulatorClient } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { killMidExport, signedIn, signedInAs } from '../helpers/signed-in.js';

/** Scheduled exports: consecutive --since-state runs add up to the ground truth, no gaps, no duplicates. */

const s = await signedIn({ callLog: 3000 });
const run = (args: string[]) => runCli(['call-log', '--scope', 'account', ...args], { env: s.env, cwd: s.configDir });
const idsIn = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).id as string);
const control = new EmulatorClient(s.emulator.url);
/** `count` calls that ended a moment ago, and the clock moved past the platform's lag. */
const addCalls = async (count: number) => {
  await control.addCalls({ count, startedAgo: 90, duration: 60 });
  await control.advance(25);
};
const finalTruth = () => control.callLog({ final: true });

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
    // Run 3 re-reads 5 minutes before run 2, over run 2's five new calls: the state's ids keep them out.
    assert.ok(Object.keys(JSON.parse(readFileSync(state, 'utf8')).seen).length >= 12);
    assert.equal(idsIn(files[2] ?? '').length, 7);

    // A run killed while it exports: no output file, the state as it was.
    await addCalls(4);
    const before = readFileSync(state, 'utf8');
    await killMidExport(s, ['call-log', '--scope', 'account', '--since-state', state, '-o', join(dir, 'run4.ndjson')]);
    assert.equal(readFileSync(state, 'utf8'), before);
    assert.equal(existsSync(join(dir, 'run4.ndjson')), false);
    await exportTo('run4.ndjson');

    const all = files.flatMap(idsIn);
    assert.equal(new Set(all).size, all.length, 'no record twice');
    const truth = (await finalTruth()).filter((r) => r.startTime >= from).map((r) => r.id);
    assert.deepEqual([...all].sort(), [...truth].sort());
  });

  it('--window splits the range and checkpoints after each window (stdout; the own log, which is read by windows)', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const refused = await run(['--since-state', state, '--from', from, '--window', '1d']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--window does not apply to --since-state on the company call log/);
    const result = await runCli(['call-log', '--scope', 'extension', '--since-state', state, '--from', from, '--window', '1d'], {
      env: s.env,
      cwd: s.configDir,
    });
    assert.equal(result.code, 0, result.stderr);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id as string);
    const mine = String(JSON.parse(result.stdout.split('\n')[0] ?? '{}').extension?.id);
    const truth = (await finalTruth()).filter(
      (r) =>
        r.startTime >= from &&
        r.startTime < JSON.parse(readFileSync(state, 'utf8')).dateTo &&
        String((r.extension as { id?: unknown } | undefined)?.id) === mine,
    );
    assert.deepEqual([...ids].sort(), truth.map((r) => r.id).sort());
    assert.equal(new Set(ids).size, ids.length);
  });

  it('one crontab line works from the first run (the last 24 h); --from later needs --reset-state; a damaged state file is named', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const first = await run(['--since-state', state, '-o', join(dir, 'first.ndjson')]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /First run with .*: exporting the last 24 h/);
    const dayAgo = Date.now() - 86_400_000;
    const truth = (await finalTruth()).filter((r) => Date.parse(r.startTime) >= dayAgo + 60_000).map((r) => r.id);
    for (const id of truth) assert.ok(idsIn(join(dir, 'first.ndjson')).includes(id), `${id} of the last 24 h`);
    const again = await run(['--since-state', state, '--from', '1d']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /hint: add --reset-state/);
    const reset = await run(['--since-state', state, '--from', '2d', '--reset-state', '-o', join(dir, 'reset.ndjson')]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.ok(idsIn(join(dir, 'reset.ndjson')).length > idsIn(join(dir, 'first.ndjson')).length);
    assert.equal((await run(['--reset-state'])).code, 2);
    // --changes: only with a state file, only on the company log, and a state file keeps its mode.
    assert.match((await run(['--changes'])).stderr, /--changes goes with --since-state FILE/);
    const own = await runCli(['call-log', '--scope', 'extension', '--since-state', join(dir, 'c.json'), '--changes'], {
      env: s.env,
      cwd: s.configDir,
    });
    assert.equal(own.code, 2);
    assert.match(own.stderr, /--changes reads the company call log/);
    const mixed = await run(['--since-state', state, '--changes']);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /was written by a run without --changes[\s\S]*hint: use one state file per mode/);
    writeFileSync(state, '{"version":1,');
    const damaged = await run(['--since-state', state]);
    assert.equal(damaged.code, 2);
    assert.match(damaged.stderr, /is not a call-log state file/);
  });

  it('two runs on one state file take turns: the second waits for the first, and nothing is written twice', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const from = new Date(Date.now() - 10 * 86_400_000).toISOString();
    assert.equal((await run(['--since-state', state, '--from', from, '-o', join(dir, 'base.ndjson')])).code, 0);
    await addCalls(6);
    s.emulator.setFaults('slow:1');
    const a = startCli(['call-log', '--scope', 'account', '--since-state', state, '-o', join(dir, 'a.ndjson')], {
      env: s.env,
      cwd: s.configDir,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const b = startCli(['call-log', '--scope', 'account', '--since-state', state, '-o', join(dir, 'b.ndjson')], {
      env: s.env,
      cwd: s.configDir,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    s.emulator.setFaults('none');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const [inA, inB] = [idsIn(join(dir, 'a.ndjson')), idsIn(join(dir, 'b.ndjson'))];
    assert.equal(inA.length, 6, 'the first run took the new calls');
    assert.deepEqual(
      inB.filter((id) => inA.includes(id)),
      [],
      'the second run started where the first ended',
    );
  });

  it('--quiet: nothing on stderr but errors, even while it waits for the rate limit', async () => {
    const limited = await signedIn({ callLog: 3000, rateLimits: parseRateLimits('heavy=10/2') });
    const args = ['call-log', '--scope', 'account', '--from', '31d', '--page-size', '100', '-f', 'ndjson'];
    const loud = await runCli(args, { env: limited.env, cwd: limited.configDir });
    assert.equal(loud.code, 0, loud.stderr);
    assert.match(loud.stderr, /waiting \d+ s: to stay under the rate limit/);
    const quiet = await runCli(['--quiet', ...args], { env: limited.env, cwd: limited.configDir });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '');
    assert.equal(quiet.stdout.trim().split('\n').length, 3000);
  });

  it('--max-time bounds the whole run: exit 75, saying what was written', async () => {
    s.emulator.setFaults('slow:1');
    const started = Date.now();
    const result = await run(['--from', '30d', '--page-size', '100', '--max-time', '3', '-f', 'ndjson']);
    s.emulator.setFaults('none');
    assert.equal(result.code, 75, result.stderr);
    assert.match(result.stderr, /stopped after --max-time 3 s; \d+ records were written to standard output/);
    assert.ok(Date.now() - started < 8000, 'it stopped on time, even inside a slow request');
  });
});

describe('--since-state on the own call log (read by windows)', () => {
  it('a running call is held back and written once, final, by the run after it ends, however long ago it started', async () => {
    const own = await signedIn({ callLog: 400 });
    const ownControl = new EmulatorClient(own.emulator.url);
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const runs: string[][] = [];
    const exportOwn = async () => {
      const file = join(dir, `run${runs.length}.ndjson`);
      const result = await runCli(['call-log', '--scope', 'extension', '--since-state', state, '-o', file], {
        env: own.env,
        cwd: own.configDir,
      });
      assert.equal(result.code, 0, result.stderr);
      const lines = existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [];
      assert.deepEqual(
        lines.filter((r) => r.result === 'In Progress'),
        [],
        'nothing In Progress is written',
      );
      runs.push(lines.map((r) => r.id as string));
      return runs.at(-1) ?? [];
    };
    await exportOwn();
    // 30 calls (some are this user's) start now and run for an hour.
    const running = await ownControl.addCalls({ count: 30, startedAgo: 1, duration: 3600 });
    assert.deepEqual(
      (await exportOwn()).filter((id) => running.includes(id)),
      [],
    );
    assert.ok(JSON.parse(readFileSync(state, 'utf8')).runningFrom, 'the state remembers where the running calls started');
    await ownControl.advance(1800); // the server's clock: half an hour later (ours has not moved)
    assert.deepEqual(
      (await exportOwn()).filter((id) => running.includes(id)),
      [],
    );
    for (const id of running) await ownControl.finishCall(id);
    await ownControl.advance(30); // past the platform's lag
    const written = (await exportOwn()).filter((id) => running.includes(id));
    const me = String((await ownControl.jwtTokens()).owner_id);
    const mine = (await ownControl.callLog({ final: true })).filter(
      (r) => running.includes(r.id) && String((r.extension as { id?: unknown }).id) === me,
    );
    assert.deepEqual([...written].sort(), mine.map((r) => r.id).sort());
    assert.ok(written.length > 0, 'the user has some of the calls');
    await exportOwn();
    const all = runs.flat();
    assert.equal(new Set(all).size, all.length, 'nothing twice');
  });
});

describe('--since-state for a user without FullCompanyCallLog', () => {
  it('plain runs fall back to the own log (said on stderr); --changes, which needs the company log, is exit 4 naming the permission', async () => {
    const user = await signedInAs('user@example.com', 'user-password', { callLog: 400 });
    const dir = tempDir();
    const plain = await runCli(['call-log', '--since-state', join(dir, 'plain.json'), '-f', 'ndjson'], {
      env: user.env,
      cwd: user.configDir,
    });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /Exporting your own calls: this user may not read the company call log/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'plain.json'), 'utf8')).scope, 'extension');
    const changes = await runCli(['call-log', '--since-state', join(dir, 'changes.json'), '--changes'], {
      env: user.env,
      cwd: user.configDir,
    });
    assert.equal(changes.code, 4, changes.stderr);
    assert.match(changes.stderr, /FullCompanyCallLog/);
    assert.equal(existsSync(join(dir, 'changes.json')), false, 'no state for a run that did nothing');
  });
});
