import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../emulator/client.js';
import { BIN, type Measured, measure, median, mib, ROOT, seconds, signIn } from './lib.js';
import { recordings } from './recordings.js';
import { scheduled } from './scheduled.js';

/**
 * `npm run bench`: exports against a plain-fetch baseline (wall time, CPU time, peak RSS), peak RSS
 * at 20k vs 200k records, and pacing under a tight Heavy limit. Everything is measured in this
 * run, against emulators started here (each in its own process); figures are printed, nothing
 * is asserted. BENCH_RUNS (default 5) sets the repetitions. Scheduled exports and recording
 * downloads are in scheduled.ts and recordings.ts.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
async function exports(): Promise<void> {
  const emulator = await spawnEmulator(['--call-log', '200000', '--rate-limits', 'off']);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await signIn(emulator, dir);
    const token = (await emulator.client.jwtTokens()).access_token;
    const dateFrom = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const dateTo = new Date().toISOString();
    const cliArgs = [BIN, 'call-log', '-f', 'ndjson', '--from', dateFrom, '--to', dateTo, '--no-progress'];
    const baseArgs = [join(ROOT, 'bench/baseline.mjs'), emulator.url, token, dateFrom, dateTo];
    const cli: Measured[] = [];
    const base: Measured[] = [];
    const small: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      cli.push(await measure(cliArgs, env, dir));
      base.push(await measure(baseArgs, env, dir));
      small.push((await measure([...cliArgs, '--limit', '20000'], env, dir)).rss);
    }
    const m = (runs: Measured[], key: keyof Measured) => median(runs.map((r) => r[key]));
    // Paired: the median of each round's own ratio (the CLI and the baseline ran moments apart).
    const paired = (key: keyof Measured) => `${median(cli.map((run, i) => run[key] / (base[i]?.[key] ?? Number.NaN))).toFixed(2)}x`;
    console.log(
      `Export of 200,000 records, call-log -f ndjson > /dev/null (rate limits off), ${RUNS} alternated rounds: medians, and the median of each round's ratio`,
    );
    console.log(
      `  baseline (bench/baseline.mjs: plain fetch, JSON lines)  ${seconds(m(base, 'ms'))} wall, ${seconds(m(base, 'cpuMs'))} CPU, ${mib(m(base, 'rss'))} peak RSS`,
    );
    console.log(
      `  ringcentral call-log                                     ${seconds(m(cli, 'ms'))} wall, ${seconds(m(cli, 'cpuMs'))} CPU, ${mib(m(cli, 'rss'))} peak RSS`,
    );
    console.log(`  wall time  ${paired('ms')} the baseline   (goal: at most 1.05x)`);
    console.log(`  CPU time   ${paired('cpuMs')} the baseline   (goal: at most 1.1x)`);
    console.log(`  peak RSS   ${paired('rss')} the baseline   (goal: at most 1.1x)`);
    // Tables stream: 100,000 rows cost about 10x what 10,000 do (the old renderer grew with the square).
    const tables: number[][] = [[], []];
    for (let i = 0; i < RUNS; i++) {
      for (const [k, rows] of [10_000, 100_000].entries()) {
        tables[k]?.push(
          (await measure([...cliArgs.filter((a) => a !== 'ndjson' && a !== '-f'), '-f', 'table', '--limit', String(rows)], env, dir)).ms,
        );
      }
    }
    const [t10, t100] = [median(tables[0] ?? []), median(tables[1] ?? [])];
    console.log(`Table of 10,000 vs 100,000 rows (-f table > /dev/null), medians of ${RUNS}`);
    console.log(`  ${seconds(t10)} vs ${seconds(t100)}: ${(t100 / t10).toFixed(1)}x for 10x the rows (goal: at most 12x)`);
    const growth = cli.map((run, i) => run.rss / (small[i] ?? Number.NaN));
    console.log(`Peak RSS of the CLI, 200,000 vs 20,000 records (--limit), each of ${RUNS} runs`);
    console.log(`  ${growth.map((g) => `${g.toFixed(2)}x`).join('  ')}   (goal: at most 1.1x in every run; 20k: ${mib(median(small))})`);
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pacing(): Promise<void> {
  const emulator = await spawnEmulator(['--call-log', '4000', '--rate-limits', 'heavy=10/2']);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await signIn(emulator, dir);
    const result = await measure([BIN, 'call-log', '-f', 'ndjson', '--from', '31d', '--page-size', '100', '--no-progress'], env, dir);
    const stats = await emulator.client.stats();
    // 40 pages at 10 per 2 s sliding window: the first 10 at once, then 10 more every 2 s.
    const minimum = (Math.ceil(40 / 10) - 1) * 2000;
    console.log('Pacing, 40-page export under heavy=10/2');
    console.log(
      `  wall time ${seconds(result.ms)}, theoretical minimum ${seconds(minimum)}, ratio ${(result.ms / minimum).toFixed(2)} (goal: at most 1.15)`,
    );
    console.log(`  429 responses: ${stats.throttled} (goal: 0)`);
    // The same export twice at once, same user and app: they share the budget (a pacing file beside the session).
    const before = await emulator.client.stats();
    const started = performance.now();
    const args = [BIN, 'call-log', '-f', 'ndjson', '--from', '31d', '--page-size', '100', '--no-progress'];
    await Promise.all([measure(args, env, dir), measure(args, env, dir)]);
    const both = performance.now() - started;
    const after = await emulator.client.stats();
    console.log('Two such exports at once (same user and app)');
    // 80 pages under 10 per 2 s: 10 at once, then 10 every 2 s.
    const floor = (Math.ceil(80 / 10) - 1) * 2000;
    console.log(
      `  wall time ${seconds(both)}, ${(both / result.ms).toFixed(2)}x one export (goal: about 2x; the limit's floor is ${seconds(floor)}, ${(floor / result.ms).toFixed(2)}x), 429 responses: ${after.throttled - before.throttled} (goal: 0)`,
    );
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// BENCH_ONLY=exports|pacing|scheduled|recordings runs one part.
const only = process.env.BENCH_ONLY;
if (!only || only === 'exports') await exports();
if (!only || only === 'pacing') await pacing();
if (!only || only === 'scheduled') await scheduled();
if (!only || only === 'recordings') await recordings();
