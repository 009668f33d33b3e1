import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../emulator/client.js';
import { BIN, measure, mib, seconds, signIn } from './lib.js';

/**
 * `call-log --recordings DIR`: download throughput against the floor the Heavy limit sets
 * (heavy=10/2: ten requests, then ten more every 2 s), and peak RSS with 50 MB recordings against
 * the same export with 100 KB ones (memory must not grow with file size). Printed, not asserted.
 */

const FIFTY_MB = 50 * 2 ** 20;

async function throughput(): Promise<void> {
  const emulator = await spawnEmulator([
    '--call-log',
    '2000',
    '--scopes',
    'ReadAccounts,ReadCallLog,ReadCallRecording',
    '--recording-share',
    '1',
    '--recording-bytes',
    '200000',
    '--rate-limits',
    'heavy=10/2',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await signIn(emulator, dir);
    const before = await emulator.client.stats();
    const archive = join(dir, 'archive');
    const run = await measure(
      [BIN, 'call-log', '--from', '2d', '-o', join(dir, 'calls.ndjson'), '--recordings', archive, '--no-progress'],
      env,
      dir,
    );
    const after = await emulator.client.stats();
    const heavy = after.groups.heavy - before.groups.heavy;
    const files = readFileSync(join(archive, 'manifest.ndjson'), 'utf8').split('\n').filter(Boolean).length;
    // `heavy` requests under 10 per 2 s sliding window: the first 10 at once, then 10 more every 2 s.
    const floor = (Math.ceil(heavy / 10) - 1) * 2000;
    console.log(`Recording downloads under heavy=10/2: ${files} recordings of 200 KB, ${heavy} Heavy requests (call-log pages included)`);
    console.log(
      `  wall time ${seconds(run.ms)}, the Heavy limit's floor ${seconds(floor)}: ${(run.ms / floor).toFixed(2)}x (goal: at most 1.1x); 429 responses: ${after.throttled - before.throttled} (goal: 0)`,
    );
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS of an export that archives the recordings of its first 8 voice calls, each `bytes` long. */
async function peakWith(bytes: number): Promise<{ rss: number; files: number }> {
  const emulator = await spawnEmulator([
    '--call-log',
    '300',
    '--scopes',
    'ReadAccounts,ReadCallLog,ReadCallRecording',
    '--recording-share',
    '1',
    '--recording-bytes',
    String(bytes),
    '--rate-limits',
    'off',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await signIn(emulator, dir);
    const archive = join(dir, 'archive');
    const args = [BIN, 'call-log', '--from', '31d', '--type', 'Voice', '--limit', '8', '-o', join(dir, 'c.ndjson')];
    const run = await measure([...args, '--recordings', archive, '--no-progress'], env, dir);
    const files = readFileSync(join(archive, 'manifest.ndjson'), 'utf8').split('\n').filter(Boolean).length;
    return { rss: run.rss, files };
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function memory(): Promise<void> {
  const small = await peakWith(100 * 1024);
  const large = await peakWith(FIFTY_MB);
  console.log(`Peak RSS archiving ${large.files} recordings of 50 MB vs ${small.files} of 100 KB (the same export)`);
  const change = large.rss - small.rss;
  console.log(`  ${mib(large.rss)} vs ${mib(small.rss)}: ${change < 0 ? '-' : '+'}${mib(Math.abs(change))} (goal: at most +10 MiB)`);
}

export async function recordings(): Promise<void> {
  await throughput();
  await memory();
}
