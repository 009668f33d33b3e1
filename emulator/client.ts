import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { APP } from './context.js';

/**
 * A small client for a running emulator, shared by tests, benchmarks and the demo: JWT
 * credentials and tokens, the /__emulator/ control API, and a browser's walk through an
 * auto-approving authorize page. `spawnEmulator` runs one in a child process.
 */

export { APP };

/** The app's HTTP Basic credentials (a confidential, server-side app). */
export const BASIC = `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`;

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_token_expires_in: number;
  owner_id: string;
  session_id: string;
  [key: string]: unknown;
}

export interface Stats {
  requests: number;
  throttled: number;
  faults: number;
  revocations: number;
  activeSessions: number;
  tokenGrants: Record<string, number>;
  /** REST requests by rate-limit group. */
  groups: { light: number; medium: number; heavy: number };
  /** Media content answers: whole (200) and partial (206). */
  media: { whole: number; partial: number };
  [key: string]: unknown;
}

/** A recording as the ground truth lists it (GET /__emulator/recordings). */
export interface TruthRecording {
  callId: string;
  recordingId: string;
  contentUri: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** A message as the ground truth lists it: the API's record, each attachment with its bytes and sha256. */
export type TruthMessage = Record<string, unknown> & {
  id: number;
  extensionId: string;
  creationTime: string;
  type: string;
  attachments: { id: number; uri: string; type: string; contentType: string; bytes: number; sha256: string }[];
};

/** A call-log record as the ground truth lists it. */
export type TruthRecord = Record<string, unknown> & { id: string; startTime: string };

export class EmulatorClient {
  constructor(readonly url: string) {}

  /** A JWT credential for the user with this extension number (101 is the demo admin). */
  async jwt(extensionNumber = '101'): Promise<string> {
    return (await this.ok(await fetch(`${this.url}/__emulator/jwt?extensionNumber=${extensionNumber}`))).text().then((t) => t.trim());
  }

  /** Exchanges a JWT (default: the demo user's) for tokens, as the app with its secret. */
  async jwtTokens(jwt?: string): Promise<Tokens> {
    const assertion = jwt ?? (await this.jwt());
    const res = await fetch(`${this.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BASIC },
      body: new URLSearchParams({ grant_type: JWT_GRANT, assertion }),
    });
    return (await this.ok(res)).json() as Promise<Tokens>;
  }

  async stats(): Promise<Stats> {
    return (await this.ok(await fetch(`${this.url}/__emulator/stats`))).json() as Promise<Stats>;
  }

  /** Replaces the fault plan: `503:1`, `reset:0.1,slow:0.1`, or `none`. */
  async setFaults(spec: string): Promise<void> {
    await this.ok(await fetch(`${this.url}/__emulator/faults?spec=${encodeURIComponent(spec)}`, { method: 'POST' }));
  }

  async allowRedirectUri(uri: string): Promise<void> {
    await this.ok(await fetch(`${this.url}/__emulator/redirect-uris?uri=${encodeURIComponent(uri)}`, { method: 'POST' }));
  }

  /**
   * Adds calls that started `startedAgo` seconds ago and last `duration` seconds (still running if
   * they have not reached their end); returns their record ids.
   */
  async addCalls(options: { count?: number; startedAgo?: number; duration?: number } = {}): Promise<string[]> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
    const res = await fetch(`${this.url}/__emulator/calls?${query}`, { method: 'POST' });
    return ((await (await this.ok(res)).json()) as { ids: string[] }).ids;
  }

  /** Ends a running call now. */
  async finishCall(id: string): Promise<void> {
    await this.ok(await fetch(`${this.url}/__emulator/calls/${encodeURIComponent(id)}/finish`, { method: 'POST' }));
  }

  /** Attaches a recording and bumps lastModifiedTime. */
  async modifyCall(id: string): Promise<void> {
    await this.ok(await fetch(`${this.url}/__emulator/calls/${encodeURIComponent(id)}/modify`, { method: 'POST' }));
  }

  async deleteCall(id: string): Promise<void> {
    await this.ok(await fetch(`${this.url}/__emulator/calls/${encodeURIComponent(id)}`, { method: 'DELETE' }));
  }

  /** Moves the emulator's clock ahead (call ends and record lags then pass without waiting). */
  async advance(seconds: number): Promise<Date> {
    const res = await this.ok(await fetch(`${this.url}/__emulator/advance?seconds=${seconds}`, { method: 'POST' }));
    return new Date(((await res.json()) as { now: string }).now);
  }

  /**
   * Ground truth, newest first: what the API lists now; `final` only final records; `deleted`
   * deleted ones too (flagged); `view: 'Detailed'` with lastModifiedTime.
   */
  async callLog(options: { final?: boolean; deleted?: boolean; view?: 'Simple' | 'Detailed' } = {}): Promise<TruthRecord[]> {
    const query = new URLSearchParams();
    if (options.final) query.set('final', '1');
    if (options.deleted) query.set('deleted', '1');
    if (options.view) query.set('view', options.view);
    return this.ndjson<TruthRecord>(`${this.url}/__emulator/call-log?${query}`);
  }

  /** Ground truth of the recordings of final, undeleted calls (legs' own included), with sha256. */
  async recordings(): Promise<TruthRecording[]> {
    return this.ndjson<TruthRecording>(`${this.url}/__emulator/recordings`);
  }

  /** Adds messages created now (to one extension's mailbox, or spread over the users); returns their ids. */
  async addMessages(options: { count?: number; extensionNumber?: string } = {}): Promise<string[]> {
    const query = new URLSearchParams();
    if (options.count !== undefined) query.set('count', String(options.count));
    if (options.extensionNumber !== undefined) query.set('extensionNumber', options.extensionNumber);
    const res = await this.ok(await fetch(`${this.url}/__emulator/messages?${query}`, { method: 'POST' }));
    return ((await res.json()) as { ids: string[] }).ids;
  }

  /** Ground truth of the message store, every mailbox, newest first; attachments carry `bytes` and `sha256`. */
  async messages(): Promise<TruthMessage[]> {
    return this.ndjson<TruthMessage>(`${this.url}/__emulator/messages`);
  }

  /** What a browser does with an authorize URL on an --auto-approve emulator: follow it to the redirect URI. */
  async followAuthorize(authorizeUrl: string): Promise<Response> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`authorize did not redirect: ${res.status}`);
    return fetch(location);
  }

  /** A ground-truth listing: one JSON value a line. */
  private async ndjson<T>(url: string): Promise<T[]> {
    const text = await (await this.ok(await fetch(url))).text();
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as T);
  }

  private async ok(res: Response): Promise<Response> {
    if (!res.ok) throw new Error(`emulator: ${res.status} ${await res.text()}`);
    return res;
  }
}

export interface SpawnedEmulator {
  url: string;
  client: EmulatorClient;
  stop(): void;
}

/** Starts `emulator/main.ts` in a child process (its own CPU, as a real server would have) on a free port. */
export async function spawnEmulator(args: string[]): Promise<SpawnedEmulator> {
  const root = new URL('../', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`emulator exited: ${text}`)));
  });
  return { url, client: new EmulatorClient(url), stop: () => child.kill() };
}

/** A loopback port that was free a moment ago (for redirect URIs, so parallel runs never collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
