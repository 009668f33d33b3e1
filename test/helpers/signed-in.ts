import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../emulator/options.js';
import type { Emulator } from '../../emulator/server.js';
import { startCli } from './cli.js';
import { postForm, useEmulator } from './emulator.js';
import { cliEnv } from './env.js';
import { AUTHORIZE_URL, loginSetup, loginWithoutBrowser, startLogin } from './login.js';

export interface SignedIn {
  emulator: Emulator;
  configDir: string;
  env: Record<string, string | undefined>;
  tokenFile: string;
}

/** An emulator and a CLI config dir signed in through the real login command (as demo@example.com, an admin). */
export async function signedIn(options: Partial<EmulatorOptions> = {}): Promise<SignedIn> {
  const emulator = await useEmulator({ autoApprove: true, ...options });
  const setup = await loginSetup(emulator);
  const { configDir } = setup;
  const login = await loginWithoutBrowser(setup);
  assert.equal(login.code, 0, login.stderr);
  return { emulator, configDir, env: cliEnv(configDir), tokenFile: join(configDir, 'profiles', 'default.json') };
}

/** Signs in through the sign-in form as another user (user@example.com is not an admin). */
export async function signedInAs(email: string, password: string, options: Partial<EmulatorOptions> = {}): Promise<SignedIn> {
  const emulator = await useEmulator({ ...options, autoApprove: false });
  const setup = await loginSetup(emulator);
  const { configDir } = setup;
  const cli = startLogin(setup);
  const [, url = ''] = await cli.waitForStderr(AUTHORIZE_URL);
  const rid = /name="rid" value="([^"]+)"/.exec(await (await fetch(url)).text())?.[1] ?? '';
  await postForm(`${emulator.url}/__emulator/authorize/sign-in`, { rid, email, password });
  const consent = await postForm(`${emulator.url}/__emulator/authorize/consent`, { rid, decision: 'approve' });
  await fetch(consent.headers.get('location') ?? '');
  const login = await cli.done;
  assert.equal(login.code, 0, login.stderr);
  return { emulator, configDir, env: cliEnv(configDir), tokenFile: join(configDir, 'profiles', 'default.json') };
}

export interface CallRecord {
  id: string;
  startTime: string;
  [key: string]: unknown;
}

export async function groundTruth(emulator: Emulator): Promise<CallRecord[]> {
  const text = await (await fetch(`${emulator.url}/__emulator/call-log`)).text();
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CallRecord);
}

export function inRange(records: CallRecord[], from: string, to: string): string[] {
  const [start, end] = [Date.parse(from), Date.parse(to)];
  return records.filter((r) => Date.parse(r.startTime) >= start && Date.parse(r.startTime) < end).map((r) => r.id);
}

/**
 * Starts the CLI while every API answer is slow (2 s), SIGKILLs it after `afterMs` (inside its
 * first request), and restores the emulator.
 */
export async function killMidExport(s: SignedIn, args: string[], afterMs = 1000): Promise<void> {
  s.emulator.setFaults('slow:1');
  const killed = startCli(args, { env: s.env, cwd: s.configDir });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  killed.child.kill('SIGKILL');
  await killed.done;
  s.emulator.setFaults('none');
}
