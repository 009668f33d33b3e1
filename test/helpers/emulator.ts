import { createHash, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { APP, BASIC, EmulatorClient, type Stats, type Tokens } from '../../emulator/client.js';
import { defaultOptions, type EmulatorOptions } from '../../emulator/options.js';
import { type Emulator, startEmulator } from '../../emulator/server.js';

export { BASIC, type Tokens };

/** Starts an in-process emulator on a free port; it is closed when the test file ends. */
export async function useEmulator(overrides: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emulator = await startEmulator(defaultOptions({ port: 0, rateLimits: null, ...overrides }));
  after(() => emulator.close());
  return emulator;
}

export const REDIRECT_URI = 'http://localhost:5000/oauth2callback';

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}

export function jwtLogin(emulator: Emulator, jwt = emulator.jwt): Promise<Tokens> {
  return new EmulatorClient(emulator.url).jwtTokens(jwt);
}

export async function apiGet(emulator: Emulator, path: string, accessToken: string): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { headers: { Authorization: `bearer ${accessToken}` } });
}

export function pkcePair(method: 'S256' | 'plain' = 'S256'): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return { verifier, challenge };
}

/** Follows the authorize page as a browser would (sign in, then Authorize or Deny); returns the final redirect. */
export async function authorizeViaForms(
  emulator: Emulator,
  params: Record<string, string>,
  decision: 'approve' | 'deny' = 'approve',
  login = { email: 'demo@example.com', password: 'demo-password' },
): Promise<URL> {
  const query = new URLSearchParams({ response_type: 'code', client_id: APP.clientId, redirect_uri: REDIRECT_URI, ...params });
  const page = await fetch(`${emulator.url}/restapi/oauth/authorize?${query}`);
  const html = await page.text();
  const rid = /name="rid" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !rid) throw new Error(`authorize page failed: ${page.status} ${html.slice(0, 200)}`);
  const signIn = await postForm(`${emulator.url}/__emulator/authorize/sign-in`, { rid, ...login });
  if (!(await signIn.text()).includes('id="authorize"')) throw new Error('sign-in did not reach the consent page');
  const consent = await postForm(`${emulator.url}/__emulator/authorize/consent`, { rid, decision });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`consent did not redirect: ${consent.status}`);
  return new URL(location);
}

export function stats(emulator: Emulator): Promise<Stats> {
  return new EmulatorClient(emulator.url).stats();
}
