import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run bench:startup`: median wall time of `ringcentral --version` and `--help` against a bare
 * `node -e 0`, measured alternately in the same run so machine noise hits all three alike.
 */

const BIN = join(new URL('../', import.meta.url).pathname, 'bin/ringcentral.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const cases: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['ringcentral --version', [BIN, '--version']],
  ['ringcentral --help', [BIN, '--help']],
];

const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of cases) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    times.get(name)?.push(performance.now() - started);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const base = median(times.get('node -e 0') ?? []);
console.log(`Start-up, median of ${RUNS} runs each, alternated`);
for (const [name] of cases) {
  const value = median(times.get(name) ?? []);
  console.log(
    `  ${name.padEnd(24)} ${value.toFixed(1)} ms   ${name === 'node -e 0' ? '(baseline)' : `${(value / base).toFixed(2)}x bare Node (goal: at most 1.3x)`}`,
  );
}
