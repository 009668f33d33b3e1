import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../emulator/client.js';
import { alternate, BIN, median, pairedRatio, ROOT, signIn } from './lib.js';

/**
 * `npm run bench:startup`: per-command latency against the simplest program that does the same
 * job, all measured alternately in this run, BENCH_RUNS rounds (default 40). The times shown are
 * medians; each ratio is the median of the rounds' own ratios (paired runs, as the issue measured):
 *   --version, --help           vs  node -e 0 (and an empty ES module, for reference)
 *   token, status --offline     vs  a 3-line script that reads the token file and prints the token
 *   extensions -f json          vs  a plain fetch script doing the same request (emulator, 25 extensions)
 * The CLI's code cache (src/code-cache.ts) lives in the run's own folder: the warm-up round writes
 * it, as a user's first run of each command would. `token` is also measured without it
 * (NODE_DISABLE_COMPILE_CACHE=1), for reference: what a run costs that finds no cache.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 40);

async function main(): Promise<void> {
  const emulator = await spawnEmulator(['--rate-limits', 'off']);
  const configDir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  try {
    // Its own config and code cache folders (the warm-up round writes the cache, as a user's first run would).
    const env = await signIn(emulator, configDir);
    const token = (JSON.parse(readFileSync(join(configDir, 'profiles', 'default.json'), 'utf8')) as { tokens: { access_token: string } })
      .tokens.access_token;
    const results = alternate(
      [
        { name: 'node -e 0', args: ['-e', '0'] },
        { name: 'empty ES module', args: [join(ROOT, 'bench/empty.mjs')] },
        { name: 'ringcentral --version', args: [BIN, '--version'] },
        { name: 'ringcentral --help', args: [BIN, '--help'] },
        { name: 'token script', args: [join(ROOT, 'bench/token-script.mjs')], env },
        { name: 'ringcentral token', args: [BIN, 'token'], env },
        { name: 'ringcentral token, no cache', args: [BIN, 'token'], env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } },
        { name: 'ringcentral status --offline', args: [BIN, 'status', '--offline'], env },
        { name: 'fetch script', args: [join(ROOT, 'bench/extensions-script.mjs'), emulator.url, token], env },
        { name: 'ringcentral extensions -f json', args: [BIN, 'extensions', '-f', 'json'], env },
      ],
      RUNS,
    );
    const ms = (name: string) => median(results.get(name) ?? []);
    const line = (name: string, base: string, goal: string) =>
      console.log(
        `  ${name.padEnd(32)} ${ms(name).toFixed(1).padStart(6)} ms  ${`${pairedRatio(results, name, base).toFixed(2)}x`.padStart(6)} ${base}   (goal: ${goal})`,
      );
    console.log(`Per-command latency, ${RUNS} alternated rounds: median times, and the median of each round's ratio`);
    console.log(`  ${'node -e 0'.padEnd(32)} ${ms('node -e 0').toFixed(1).padStart(6)} ms  (baseline)`);
    line('empty ES module', 'node -e 0', 'reference');
    line('ringcentral --version', 'node -e 0', 'at most 1.1x');
    line('ringcentral --help', 'node -e 0', 'at most 1.1x');
    console.log(
      `  ${'token script'.padEnd(32)} ${ms('token script').toFixed(1).padStart(6)} ms  (baseline: reads the token file, prints the token)`,
    );
    line('ringcentral token', 'token script', 'at most 1.3x');
    line('ringcentral token, no cache', 'token script', 'reference');
    line('ringcentral status --offline', 'token script', 'at most 1.3x');
    console.log(
      `  ${'fetch script'.padEnd(32)} ${ms('fetch script').toFixed(1).padStart(6)} ms  (baseline: one fetch of the extension list)`,
    );
    line('ringcentral extensions -f json', 'fetch script', 'at most 1.1x');
  } finally {
    emulator.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}

await main();
