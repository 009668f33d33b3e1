import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { stats } from '../helpers/emulator.js';
import { tempDir } from '../helpers/env.js';
import { signedIn } from '../helpers/signed-in.js';

/** --output never renames over what it names (issue: hostile places): FIFOs, devices, links, directories. */

const s = await signedIn({ callLog: 500 });
const exportTo = (target: string, extra: string[] = []) =>
  runCli(['call-log', '--scope', 'account', '--from', '31d', '-f', 'ndjson', '-o', target, ...extra], { env: s.env, cwd: s.configDir });

describe('--output targets', () => {
  it('a FIFO is written in place: it stays a FIFO and its reader gets every record', async () => {
    const fifo = join(tempDir(), 'calls.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const result = await exportTo(fifo);
    await closed;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    assert.equal(received.trim().split('\n').length, 500);
  });

  it('-o /dev/stdout writes to standard output (a link to a stream is followed, not replaced)', async () => {
    const result = await exportTo('/dev/stdout');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 500);
    assert.ok(lstatSync('/dev/stdout').isSymbolicLink());
  });

  it('a symbolic link to a file, a directory, or the state file itself: exit 2 before any request, nothing changed', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.ndjson');
    writeFileSync(real, 'previous\n');
    const link = join(dir, 'link.ndjson');
    symlinkSync(real, link);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const before = (await stats(s.emulator)).requests;
    const viaLink = await exportTo(link);
    assert.equal(viaLink.code, 2);
    assert.match(viaLink.stderr, /--output: .*link\.ndjson is a symbolic link/);
    assert.equal(readlinkSync(link), real);
    assert.equal(readFileSync(real, 'utf8'), 'previous\n');
    const toDir = await exportTo(sub);
    assert.equal(toDir.code, 2);
    assert.match(toDir.stderr, /is a directory/);
    const same = await exportTo(join(dir, 'state.json'), ['--since-state', join(dir, 'state.json')]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /--output and --since-state name the same file/);
    assert.equal((await stats(s.emulator)).requests, before, 'no request was made');
  });
});

describe('--output file permissions', () => {
  it('a replaced file keeps its mode and owner; a new file is 0600 whatever the umask', async () => {
    const dir = tempDir();
    const existing = join(dir, 'shared.ndjson');
    writeFileSync(existing, 'old\n', { mode: 0o640 });
    chmodSync(existing, 0o640);
    if (process.getuid?.() === 0) chownSync(existing, 65534, 65534);
    assert.equal((await exportTo(existing)).code, 0);
    const after = statSync(existing);
    assert.equal(after.mode & 0o777, 0o640);
    if (process.getuid?.() === 0) assert.deepEqual([after.uid, after.gid], [65534, 65534]);
    const fresh = join(dir, 'new.ndjson');
    const result = await runCli(['call-log', '--scope', 'account', '--from', '31d', '-f', 'ndjson', '-o', fresh], {
      env: { ...s.env },
      cwd: s.configDir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
  });
});

describe('temp files of killed runs', () => {
  it("are removed whatever file they were for (yesterday's date-stamped name), and SIGTERM leaves none", async () => {
    const dir = tempDir();
    const orphan = join(dir, '.calls-2026-11-28.ndjson.99999999.abcdef12.tmp');
    writeFileSync(orphan, 'half a run\n');
    assert.equal((await exportTo(join(dir, 'calls-2026-11-29.ndjson'))).code, 0);
    assert.deepEqual(readdirSync(dir), ['calls-2026-11-29.ndjson']);
    s.emulator.setFaults('slow:1');
    const cli = startCli(['call-log', '--scope', 'account', '--from', '31d', '--page-size', '50', '-o', join(dir, 'term.ndjson')], {
      env: s.env,
      cwd: s.configDir,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    s.emulator.setFaults('none');
    assert.equal(result.code, 130, result.stderr);
    assert.deepEqual(readdirSync(dir), ['calls-2026-11-29.ndjson'], 'no temp file and no partial target');
  });
});
