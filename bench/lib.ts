import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP, type SpawnedEmulator } from '../emulator/client.js';

/** What the benchmarks share: where the built CLI is, medians, timing and measuring a command, signing in. */

export const ROOT = new URL('../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/ringcentral.cjs');

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

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
 * alike, after one warm-up round; returns each case's times (ms), in run order.
 */
export function alternate(
  cases: readonly { name: string; args: readonly string[]; env?: NodeJS.ProcessEnv }[],
  runs: number,
): Map<string, number[]> {
  for (const c of cases) timeNode(c.args, c.env);
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const c of cases) times.get(c.name)?.push(timeNode(c.args, c.env));
  return times;
}

/**
 * The median of the per-round ratios case/base (paired runs): each ratio compares two runs made
 * moments apart, so a slow spell of the machine lifts both sides of it instead of one median.
 */
export function pairedRatio(times: ReadonlyMap<string, readonly number[]>, name: string, base: string): number {
  const a = times.get(name) ?? [];
  const b = times.get(base) ?? [];
  return median(a.map((value, i) => value / (b[i] ?? Number.NaN)));
}

const PROBE = join(ROOT, 'bench/probe.mjs');

export interface Measured {
  ms: number;
  cpuMs: number;
  rss: number;
}

/** Runs `node --import probe ARGS > /dev/null`; wall time from here, CPU and peak RSS from the probe. */
export function measure(args: readonly string[], env: NodeJS.ProcessEnv, dir: string): Promise<Measured> {
  const file = join(dir, `probe-${process.hrtime.bigint()}.json`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PROBE, ...args], {
      env: { ...env, BENCH_PROBE_FILE: file },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`));
      const { rss, cpuMs } = JSON.parse(readFileSync(file, 'utf8')) as { rss: number; cpuMs: number };
      resolve({ ms, cpuMs, rss });
    });
  });
}

export async function signIn(emulator: SpawnedEmulator, configDir: string): Promise<NodeJS.ProcessEnv> {
  const env = {
    ...process.env,
    RINGCENTRAL_CONFIG_DIR: configDir,
    RINGCENTRAL_CACHE_DIR: join(configDir, 'cache'),
    NO_COLOR: '1',
    RC_CLIENT_SECRET: APP.clientSecret,
  };
  const jwt = await emulator.client.jwt();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', '--jwt', '--server', emulator.url, '--client-id', APP.clientId], {
      env: { ...env, RC_JWT: jwt },
      stdio: 'ignore',
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`login exited ${code}`))));
  });
  return env;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
