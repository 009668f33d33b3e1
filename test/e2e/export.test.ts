import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { parseRateLimits } from '../../emulator/options.js';
import { BIN, runCli, startCli } from '../helpers/cli.js';
import { stats } from '../helpers/emulator.js';
import { tempDir } from '../helpers/env.js';
import { groundTruth, inRange, signedIn, signedInAs } from '../helpers/signed-in.js';

const HOUR = 3_600_000;
const s = await signedIn({ callLog: 5000, extensions: 30 });
const FROM = new Date(Date.now() - 7 * 24 * HOUR).toISOString();
const TO = new Date(Date.now() - HOUR).toISOString();
const truth = inRange(await groundTruth(s.emulator), FROM, TO);
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { env: { ...s.env, ...env }, cwd: s.configDir });

describe('call-log formats match the ground truth exactly', () => {
  it('ndjson (the default when piped): one record a line', async () => {
    const result = await cli(['call-log', '--from', FROM, '--to', TO, '--page-size', '300']);
    assert.equal(result.code, 0, result.stderr);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    assert.ok(truth.length > 500);
    assert.deepEqual(ids, truth);
  });

  it('json: one array, parsable with JSON.parse', async () => {
    const result = await cli(['call-log', '--from', FROM, '--to', TO, '-f', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { id: string }[]).map((r) => r.id),
      truth,
    );
  });

  it('csv and tsv: a fixed header and RFC 4180 quoting, read back by a real CSV parser', async () => {
    for (const [format, delimiter] of [
      ['csv', ','],
      ['tsv', '\t'],
    ] as const) {
      const result = await cli(['call-log', '--from', FROM, '--to', TO, '-f', format]);
      assert.equal(result.code, 0, result.stderr);
      const rows = parse(result.stdout, { columns: true, delimiter }) as Record<string, string>[];
      assert.deepEqual(
        rows.map((r) => r.id),
        truth,
      );
      assert.deepEqual(Object.keys(rows[0] ?? {}), [
        'id',
        'startTime',
        'duration',
        'type',
        'direction',
        'action',
        'result',
        'from.phoneNumber',
        'from.name',
        'to.phoneNumber',
        'to.name',
        'extension.id',
      ]);
    }
  });

  it('--fields selects dot paths in every format; unknown fields are a usage error', async () => {
    const csv = await cli([
      'call-log',
      '--from',
      FROM,
      '--to',
      TO,
      '-f',
      'csv',
      '--fields',
      'id,from.phoneNumber,legs',
      '--view',
      'Detailed',
      '--limit',
      '3',
    ]);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), ['id', 'from.phoneNumber', 'legs']);
    assert.ok(Array.isArray(JSON.parse(rows[0]?.legs ?? '')), 'nested values are flattened to JSON');
    const json = await cli(['call-log', '--from', FROM, '--to', TO, '-f', 'json', '--fields', 'id,from.phoneNumber', '--limit', '2']);
    for (const record of JSON.parse(json.stdout)) assert.deepEqual(Object.keys(record).sort(), ['from', 'id']);
    const bad = await cli(['call-log', '--fields', 'id,nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown field "nope"/);
    const listed = await cli(['call-log', '--fields']);
    assert.equal(listed.code, 0);
    assert.ok(listed.stdout.split('\n').includes('from.phoneNumber'));
  });

  it('--limit stops early and asks only for what it needs', async () => {
    const before = await stats(s.emulator);
    const result = await cli(['call-log', '--from', FROM, '--to', TO, '--limit', '7']);
    assert.deepEqual(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
      truth.slice(0, 7),
    );
    assert.equal(Number((await stats(s.emulator)).requests) - Number(before.requests), 1); // one page of the company log
  });
});

describe('extensions', () => {
  it('lists every extension (json when piped); filters match the emulator', async () => {
    const all = await cli(['extensions']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(JSON.parse(all.stdout).length, 30);
    const users = await cli(['extensions', '--type', 'User', '--status', 'Enabled', '-f', 'ndjson']);
    const records = users.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(records.length > 5 && records.length < 30);
    assert.ok(records.every((r) => r.type === 'User' && r.status === 'Enabled'));
    const one = await cli(['extensions', '--extension-number', '101', '-f', 'csv']);
    assert.equal(one.stdout.trim().split('\n').length, 2);
  });

  it('tables fit the terminal and use color only when asked', async () => {
    const plain = await cli(['extensions', '-f', 'table'], { COLUMNS: '60' });
    assert.ok(
      plain.stdout.split('\n').every((line) => [...line].length <= 60),
      plain.stdout,
    );
    assert.ok(!plain.stdout.includes('\u001b['));
    const colored = await cli(['extensions', '-f', 'table'], { FORCE_COLOR: '1', NO_COLOR: undefined });
    assert.ok(colored.stdout.includes('\u001b[1m'));
  });
});

describe('pipes, files and interruptions', () => {
  it('| head -n 1: exit 0, no EPIPE noise, and no more requests once the reader is gone', async () => {
    const before = await stats(s.emulator);
    const cli = startCli(['call-log', '--from', '30d', '--page-size', '100'], { env: s.env, cwd: s.configDir });
    const firstLine = await new Promise<string>((resolve) => {
      cli.child.stdout.on('data', () => {
        if (!cli.stdout().includes('\n')) return;
        cli.child.stdout.destroy();
        resolve(cli.stdout().split('\n')[0] ?? '');
      });
    });
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.ok(JSON.parse(firstLine).id);
    assert.ok(Number((await stats(s.emulator)).requests) - Number(before.requests) <= 4, 'stopped after the pipe closed');
  });

  it('--output appears only when complete; a failed export leaves the target as it was', async () => {
    const dir = tempDir();
    const target = join(dir, 'calls.csv');
    const ok = await cli(['call-log', '--from', FROM, '--to', TO, '-f', 'csv', '-o', target]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, '');
    assert.equal((parse(readFileSync(target, 'utf8'), { columns: true }) as unknown[]).length, truth.length);
    writeFileSync(target, 'previous export\n');
    const failing = await signedIn({ callLog: 3000 });
    failing.emulator.setFaults('503:1');
    const failed = await runCli(['call-log', '--scope', 'account', '--from', '30d', '-f', 'csv', '-o', target, '--max-wait', '0'], {
      env: failing.env,
      cwd: failing.configDir,
    });
    assert.equal(failed.code, 75);
    assert.match(failed.stderr, /nothing was written to .*calls\.csv/);
    assert.equal(readFileSync(target, 'utf8'), 'previous export\n');
    assert.deepEqual(readdirSync(dir), ['calls.csv']);
  });

  it('json on stdout: a failure mid-way leaves the array unclosed and exits non-zero', async () => {
    const failing = await signedIn({ callLog: 3000 });
    failing.emulator.setFaults('slow:1');
    const cli = startCli(['call-log', '--scope', 'account', '--from', '30d', '--page-size', '100', '-f', 'json', '--max-wait', '0'], {
      env: failing.env,
      cwd: failing.configDir,
    });
    cli.child.stdout.once('data', () => failing.emulator.setFaults('503:1'));
    const { code, stdout, stderr } = await cli.done;
    assert.equal(code, 75, stderr);
    assert.ok(stdout.startsWith('[\n'));
    assert.ok(!stdout.trimEnd().endsWith(']'));
    assert.throws(() => JSON.parse(stdout));
    assert.match(stderr, /\d+ records were written to standard output/);
  });

  it('--output into a missing directory is a usage error', async () => {
    const result = await cli(['call-log', '-o', join(tempDir(), 'no', 'such', 'dir', 'x.csv')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--output: cannot write/);
  });

  it('Ctrl-C: exit 130, whole lines only, and says where it stopped', async () => {
    const slow = await signedIn({
      callLog: 3000,
      rateLimits: parseRateLimits('heavy=1/60'),
    });
    const cli = startCli(['call-log', '--from', '30d', '--page-size', '100'], { env: slow.env, cwd: slow.configDir });
    await cli.waitForStderr(/waiting/);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.done;
    assert.equal(code, 130, stderr);
    const lines = stdout.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 100);
    for (const line of lines) JSON.parse(line);
    assert.match(stderr, /interrupted: 100 records were written to standard output, down to the call that started at \d{4}-/);
  });
});

describe('resilience', () => {
  it('with 500/503/reset faults, 20,000 records arrive complete: nothing lost, nothing doubled', async () => {
    const faulty = await signedIn({
      callLog: 20_000,
      faults: [
        { kind: 500, probability: 0.05 },
        { kind: 503, probability: 0.1 },
        { kind: 'reset', probability: 0.05 },
      ],
    });
    const result = await runCli(['call-log', '--from', '31d', '--page-size', '1000'], { env: faulty.env, cwd: faulty.configDir });
    assert.equal(result.code, 0, result.stderr);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    assert.deepEqual(
      ids,
      (await groundTruth(faulty.emulator)).map((r) => r.id),
    );
    assert.ok(Number((await stats(faulty.emulator)).faults) > 0);
  });

  it('under heavy=10/2, a 40-page export meets zero 429s', async () => {
    const paced = await signedIn({
      callLog: 4000,
      rateLimits: parseRateLimits('heavy=10/2'),
    });
    const result = await runCli(['call-log', '--from', '31d', '--page-size', '100'], { env: paced.env, cwd: paced.configDir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 4000);
    assert.equal((await stats(paced.emulator)).throttled, 0);
  });

  it('a user without FullCompanyCallLog gets their own calls by default, and exit 4 naming the permission for the company log', async () => {
    const user = await signedInAs('user@example.com', 'user-password', { callLog: 2000 });
    const own = await runCli(['call-log', '--from', '30d'], { env: user.env, cwd: user.configDir });
    assert.equal(own.code, 0, own.stderr);
    assert.ok(
      own.stdout
        .trim()
        .split('\n')
        .every((line) => /\/extension\/\d+\/call-log\//.test(JSON.parse(line).uri)),
    );
    const company = await runCli(['call-log', '--scope', 'account'], { env: user.env, cwd: user.configDir });
    assert.equal(company.code, 4);
    assert.match(company.stderr, /permission denied/);
    assert.match(company.stderr, /FullCompanyCallLog .*--scope extension/);
  });
});

describe('progress', () => {
  it('shows records, pages and rate on a terminal stderr, and not with --no-progress', async () => {
    const target = join(tempDir(), 'calls.ndjson');
    const inTerminal = async (extra: string[]) => {
      const command = [
        process.execPath,
        BIN,
        'call-log',
        '--scope',
        'account',
        '--from',
        '30d',
        '--page-size',
        '200',
        '-o',
        target,
        ...extra,
      ]
        .map((word) => `'${word}'`)
        .join(' ');
      const result = await new Promise<string>((resolve) => {
        const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...s.env }, cwd: s.configDir });
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        child.on('close', () => resolve(text));
      });
      return result;
    };
    assert.match(await inTerminal([]), /\d[\d,]* records · \d+ pages · [\d,]+\/s/);
    assert.doesNotMatch(await inTerminal(['--no-progress']), /records ·/);
  });
});
