import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, freePort } from '../emulator/client.js';
import { defaultOptions } from '../emulator/options.js';
import { startEmulator } from '../emulator/server.js';

/**
 * `npm run demo`: the whole sign-in flow against the emulator, in a throw-away config dir, so it
 * never touches your real RingCentral sign-in.
 */

const BIN = new URL('../bin/ringcentral.cjs', import.meta.url).pathname;

function canOpenBrowser(env: NodeJS.ProcessEnv): boolean {
  if (env.CI || env.SSH_CONNECTION || env.SSH_TTY || env.BROWSER === 'none') return false;
  return process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

interface Step {
  code: number | null;
  stdout: string;
}

/** Runs the CLI, showing what it prints; `onStderr` may act on it (e.g. follow the printed URL). */
function cli(args: string[], env: NodeJS.ProcessEnv, onStderr?: (text: string) => void): Promise<Step> {
  process.stdout.write(`\n$ ringcentral ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    process.stdout.write(chunk);
    onStderr?.(stderr);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
}

function manifestLines(dir: string): number {
  return readFileSync(join(dir, 'manifest.ndjson'), 'utf8').split('\n').filter(Boolean).length;
}

async function main(): Promise<void> {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}/oauth2callback`;
  // The app as README's registration steps describe it, archive permissions included.
  const scopes = ['ReadAccounts', 'ReadCallLog', 'ReadCallRecording', 'ReadMessages'];
  const emulator = await startEmulator(
    defaultOptions({ port: 0, autoApprove: true, redirectUris: [redirectUri], rateLimits: null, scopes }),
  );
  const configDir = mkdtempSync(join(tmpdir(), 'ringcentral-demo-'));
  const browser = canOpenBrowser(process.env);
  const env = {
    ...process.env,
    RINGCENTRAL_CONFIG_DIR: configDir,
    RINGCENTRAL_CACHE_DIR: join(configDir, 'cache'),
    RC_SERVER_URL: emulator.url,
    RC_CLIENT_ID: APP.clientId,
    RC_CLIENT_SECRET: APP.clientSecret,
    RC_REDIRECT_URL: redirectUri,
    ...(browser ? {} : { BROWSER: 'none' }),
  };
  console.log(`RingCentral platform emulator on ${emulator.url} (auto-approve); config dir ${configDir}`);
  if (!browser) console.log('No browser can be opened here, so the demo follows the sign-in address itself (as a browser would).');
  const failures: string[] = [];
  try {
    let followed = false;
    const login = await cli(['login', '--interactive', '--timeout', '60'], env, (text) => {
      const url = /(http:\/\/\S+\/restapi\/oauth\/authorize\?\S+)/.exec(text)?.[1];
      if (browser || followed || !url) return;
      followed = true;
      void fetch(url).catch((error: unknown) => console.error(`demo: could not follow the sign-in address: ${String(error)}`));
    });
    if (login.code !== 0) failures.push('login');
    for (const args of [['status'], ['status', '--json']]) if ((await cli(args, env)).code !== 0) failures.push(args.join(' '));
    const token = await cli(['token'], env);
    if (token.code !== 0 || !token.stdout.trim()) failures.push('token');
    const me = await fetch(`${emulator.url}/restapi/v1.0/account/~/extension/~`, {
      headers: { Authorization: `Bearer ${token.stdout.trim()}` },
    });
    console.log(`(the token works: GET /restapi/v1.0/account/~/extension/~ answered ${me.status})`);
    if ((await cli(['extensions', '--format', 'table'], env)).code !== 0) failures.push('extensions');
    if ((await cli(['call-log', '--from', '7d', '--format', 'table', '--limit', '10'], env)).code !== 0) failures.push('call-log table');
    const csv = join(configDir, 'calls-last-7-days.csv');
    if ((await cli(['call-log', '--from', '7d', '--format', 'csv', '--output', csv], env)).code !== 0) failures.push('call-log csv');
    else {
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      console.log(`(${csv}: ${lines.length - 1} calls; first lines below)\n${lines.slice(0, 3).join('\n')}`);
    }
    const recordings = join(configDir, 'recordings');
    const archived = await cli(['call-log', '--from', '1d', '--output', join(configDir, 'calls.ndjson'), '--recordings', recordings], env);
    if (archived.code !== 0) failures.push('call-log --recordings');
    else console.log(`(${recordings}/manifest.ndjson: ${manifestLines(recordings)} recordings, each with its sha256)`);
    if ((await cli(['messages', '--from', '7d', '--format', 'table', '--limit', '10'], env)).code !== 0) failures.push('messages table');
    const attachments = join(configDir, 'attachments');
    const saved = await cli(
      ['messages', '--from', '2d', '--output', join(configDir, 'messages.ndjson'), '--attachments', attachments],
      env,
    );
    if (saved.code !== 0) failures.push('messages --attachments');
    else console.log(`(${attachments}/manifest.ndjson: ${manifestLines(attachments)} attachments)`);
    if ((await cli(['logout'], env)).code !== 0) failures.push('logout');
    if ((await cli(['status'], env)).code !== 4) failures.push('status after logout (expected exit 4)');
  } finally {
    await emulator.close();
    rmSync(configDir, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? '\nDemo finished: every step did what it should.' : `\nDemo FAILED at: ${failures.join(', ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
