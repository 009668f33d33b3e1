import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run bench`: export throughput against a plain-fetch baseline, peak memory at 20k vs 200k
 * records, and pacing under a tight Heavy limit. Everything is measured in this run, against
 * emulators started here; figures are printed, nothing is asserted.
 */

const ROOT = new URL('../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/ringcentral.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Emulator {
  url: string;
  child: ChildProcess;
}

async function startEmulator(args: string[]): Promise<Emulator> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'emulator/main.ts',
      '--port',
      '0',
      '--auto-approve',
      '--redirect-uri',
      'http://localhost:5391/oauth2callback',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`emulator exited: ${text}`)));
  });
  return { url, child };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdoutFile = '/dev/null',
): Promise<{ ms: number; code: number | null; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `exec "$0" "$@" > ${stdoutFile}`, command, ...args], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stderr }));
  });
}

async function login(emulator: Emulator, configDir: string): Promise<NodeJS.ProcessEnv> {
  const env = { ...process.env, RINGCENTRAL_CONFIG_DIR: configDir, BROWSER: 'none', NO_COLOR: '1' };
  const child = spawn(
    process.execPath,
    [
      BIN,
      'login',
      '--interactive',
      '--server',
      emulator.url,
      '--client-id',
      'emulator-client-id',
      '--redirect-uri',
      'http://localhost:5391/oauth2callback',
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', async (chunk: string) => {
    const before = text;
    text += chunk;
    const url = /(http:\/\/\S+\/restapi\/oauth\/authorize\?\S+)/.exec(text)?.[1];
    if (url && !/authorize\?/.test(before)) await fetch(url);
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`login failed: ${text}`);
  return env;
}

async function accessToken(emulator: Emulator): Promise<string> {
  const jwt = (await (await fetch(`${emulator.url}/__emulator/jwt`)).text()).trim();
  const res = await fetch(`${emulator.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from('emulator-client-id:emulator-client-secret').toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function throughputAndMemory(): Promise<void> {
  const emulator = await startEmulator(['--call-log', '200000', '--rate-limits', 'off']);
  const configDir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await login(emulator, configDir);
    const token = await accessToken(emulator);
    const dateFrom = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const dateTo = new Date().toISOString();
    const cliArgs = [BIN, 'call-log', '-f', 'ndjson', '--from', dateFrom, '--to', dateTo, '--no-progress'];
    const cli: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = await run(process.execPath, cliArgs, env);
      if (a.code !== 0) throw new Error(`CLI export failed: ${a.stderr}`);
      cli.push(a.ms);
      const b = await run(process.execPath, [join(ROOT, 'bench/baseline.mjs'), emulator.url, token, dateFrom, dateTo], env);
      if (b.code !== 0) throw new Error(`baseline failed: ${b.stderr}`);
      base.push(b.ms);
    }
    console.log('Export throughput, 200,000 records, call-log -f ndjson (rate limits off), median of', RUNS);
    console.log(`  CLI      ${seconds(median(cli))}  (${Math.round(200_000 / (median(cli) / 1000)).toLocaleString('en-US')} records/s)`);
    console.log(`  baseline ${seconds(median(base))}  (plain fetch + JSON lines)`);
    console.log(`  ratio    ${(median(cli) / median(base)).toFixed(2)}x   (goal: at most 1.3x)`);

    const rss = async (limit: number) => {
      const file = join(configDir, `rss-${limit}`);
      const result = await run(process.execPath, ['--import', join(ROOT, 'bench/rss-probe.mjs'), ...cliArgs, '--limit', String(limit)], {
        ...env,
        BENCH_RSS_FILE: file,
      });
      if (result.code !== 0) throw new Error(`CLI export failed: ${result.stderr}`);
      return Number(readFileSync(file, 'utf8'));
    };
    const smallRuns: number[] = [];
    const largeRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      smallRuns.push(await rss(20_000));
      largeRuns.push(await rss(200_000));
    }
    const [small, large] = [median(smallRuns), median(largeRuns)];
    console.log(`Peak RSS of the CLI exporting, median of ${RUNS}`);
    console.log(`  20,000 records   ${(small / 2 ** 20).toFixed(1)} MiB`);
    console.log(`  200,000 records  ${(large / 2 ** 20).toFixed(1)} MiB`);
    console.log(`  growth           ${(((large - small) / small) * 100).toFixed(1)}%   (goal: within 15%)`);
  } finally {
    emulator.child.kill();
    rmSync(configDir, { recursive: true, force: true });
  }
}

async function pacing(): Promise<void> {
  const emulator = await startEmulator(['--call-log', '4000', '--rate-limits', 'heavy=10/2']);
  const configDir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    const env = await login(emulator, configDir);
    const result = await run(
      process.execPath,
      [BIN, 'call-log', '-f', 'ndjson', '--from', '31d', '--page-size', '100', '--no-progress'],
      env,
    );
    if (result.code !== 0) throw new Error(`CLI export failed: ${result.stderr}`);
    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { throttled: number };
    // 40 pages at 10 per 2 s sliding window: the first 10 at once, then 10 more every 2 s.
    const minimum = (Math.ceil(40 / 10) - 1) * 2000;
    console.log('Pacing, 40-page export under heavy=10/2');
    console.log(
      `  wall time ${seconds(result.ms)}, theoretical minimum ${seconds(minimum)}, ratio ${(result.ms / minimum).toFixed(2)} (goal: at most 1.15)`,
    );
    console.log(`  429 responses: ${stats.throttled} (goal: 0)`);
  } finally {
    emulator.child.kill();
    rmSync(configDir, { recursive: true, force: true });
  }
}

await throughputAndMemory();
await pacing();
