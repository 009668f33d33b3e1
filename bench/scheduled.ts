import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SpawnedEmulator, spawnEmulator } from '../emulator/client.js';
import { mulberry32 } from '../emulator/data/random.js';
import { BIN, median, signIn } from './lib.js';

/**
 * Heavy requests per run of a scheduled export at steady state: cron every 15 minutes on an
 * account of 10,000 calls a day (the emulator's clock jumps 15 minutes between runs; calls start
 * through the interval, last up to 30 minutes, some change or vanish). Compared with a plain
 * one-off export of the same 15 minutes (`--from/--to`), measured here on the same emulator.
 */

const CALLS_PER_DAY = 10_000;
const INTERVAL_S = 900;
const RUNS = Number(process.env.BENCH_CRON_RUNS ?? 6);

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ringcentral ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

async function heavyOf(emulator: SpawnedEmulator, run: () => Promise<void>): Promise<number> {
  const before = (await emulator.client.stats()).groups.heavy;
  await run();
  return (await emulator.client.stats()).groups.heavy - before;
}

/** One 15-minute interval of traffic: new calls through it (running or not), a few changes, then the clock moves on. */
async function interval(emulator: SpawnedEmulator, rng: () => number, ids: string[]): Promise<Date> {
  const arriving = Math.round((CALLS_PER_DAY * INTERVAL_S) / 86_400);
  for (let i = 0; i < arriving; i += 8) {
    const startedAgo = Math.floor(rng() * INTERVAL_S);
    ids.push(...(await emulator.client.addCalls({ count: 8, startedAgo, duration: Math.floor(rng() * 1800) })));
  }
  for (let i = 0; i < 5; i++) await emulator.client.modifyCall(ids[Math.floor(rng() * ids.length)] ?? '');
  await emulator.client.deleteCall(ids[Math.floor(rng() * ids.length)] ?? '');
  return emulator.client.advance(INTERVAL_S);
}

export async function scheduled(): Promise<void> {
  const emulator = await spawnEmulator(['--call-log', String(CALLS_PER_DAY * 30), '--rate-limits', 'off']);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await signIn(emulator, dir);
    const rng = mulberry32(15);
    const ids: string[] = [];
    const state = (name: string) => ['call-log', '--quiet', '--since-state', join(dir, name), '-o', join(dir, `${name}.out`)];
    // First runs (the last 24 h) set the states up; the runs after them are the steady state.
    await cli(state('plain'), env);
    await cli([...state('changes'), '--changes'], env);
    const plain: number[] = [];
    const changes: number[] = [];
    const oneOff: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const now = await interval(emulator, rng, ids);
      plain.push(await heavyOf(emulator, () => cli(state('plain'), env)));
      changes.push(await heavyOf(emulator, () => cli([...state('changes'), '--changes'], env)));
      const from = new Date(now.getTime() - INTERVAL_S * 1000).toISOString();
      const oneOffArgs = [
        'call-log',
        '--quiet',
        '--scope',
        'account',
        '--from',
        from,
        '--to',
        now.toISOString(),
        '-o',
        join(dir, 'oneoff.out'),
      ];
      oneOff.push(await heavyOf(emulator, () => cli(oneOffArgs, env)));
    }
    const list = (values: number[]) => values.join(' ');
    console.log(
      `Scheduled export, cron every 15 min, ${CALLS_PER_DAY.toLocaleString('en')} calls a day: Heavy requests per run (${RUNS} runs)`,
    );
    console.log(`  plain one-off export of the 15 min (--from/--to)   ${list(oneOff)}   median ${median(oneOff)}`);
    console.log(`  --since-state (each call once, final)              ${list(plain)}   median ${median(plain)}`);
    console.log(`  --since-state --changes                            ${list(changes)}   median ${median(changes)}`);
    console.log(`  goal: at most the one-off export + 2 = ${median(oneOff) + 2}`);
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
