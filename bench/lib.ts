import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What the benchmarks share: where the built CLI is, medians, and timing a command. */

export const ROOT = new URL('../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/ringcentral.cjs');

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export const ratio = (value: number, base: number): string => `${(value / base).toFixed(2)}x`;

/** Wall time of one run of `node ARGS` (ms); throws when it fails. */
export function timeNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

/**
 * Runs every case `runs` times, alternating (a, b, c, a, b, c, ...) so that machine noise hits all
 * alike, after one warm-up round; returns the median per case.
 */
export function alternate(
  cases: readonly { name: string; args: readonly string[]; env?: NodeJS.ProcessEnv }[],
  runs: number,
): Map<string, number> {
  for (const c of cases) timeNode(c.args, c.env);
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const c of cases) times.get(c.name)?.push(timeNode(c.args, c.env));
  return new Map([...times].map(([name, values]) => [name, median(values)]));
}
