import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';

/** `npm run emulator` as tests and benchmarks start it: a separate process and a "listening on" line. */

const ROOT = new URL('../../', import.meta.url).pathname;

function startProcess(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

it('starts with every option and prints the real port', async () => {
  const child = startProcess([
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--seed',
    '7',
    '--extensions',
    '12',
    '--call-log',
    '300',
    '--rate-limits',
    'heavy=10/2,auth=5/2',
    '--faults',
    '500:0.05,503:0.1,reset:0.05,slow:0.1',
    '--access-token-ttl',
    '120',
    '--refresh-token-ttl',
    '600',
    '--redirect-uri',
    'http://localhost:5000/oauth2callback',
    '--redirect-uri',
    'http://127.0.0.1:5001/oauth2callback',
    '--auto-approve',
    '--app-type',
    'server-side',
    '--app-grants',
    'authorization_code,jwt',
    '--scopes',
    'ReadAccounts,ReadCallLog',
    '--session-limit',
    '3',
    '--refresh-grace',
    '10',
    '--auth-faults',
    'none',
  ]);
  try {
    const out = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\n')) resolve(text);
      });
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
    assert.ok(url?.[1] && Number(url[2]) > 0, out);
    const jwt = await (await fetch(`${url[1]}/__emulator/jwt`)).text();
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    // --auto-approve: the authorize endpoint redirects straight to the (second) registered URI with a code.
    const res = await fetch(
      `${url[1]}/restapi/oauth/authorize?response_type=code&client_id=emulator-client-id&redirect_uri=${encodeURIComponent('http://127.0.0.1:5001/oauth2callback')}&state=s`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:5001\/oauth2callback\?code=[\w-]+&expires_in=60&state=s$/);
    const token = await fetch(`${url[1]}/restapi/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('emulator-client-id:emulator-client-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt.trim() }),
    });
    const tokens = (await token.json()) as { expires_in: number; refresh_token_expires_in: number };
    // Reported a second short, as the platform does.
    assert.equal(tokens.expires_in, 119);
    assert.equal(tokens.refresh_token_expires_in, 599);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

it('exits 2 with a one-line message on a bad option', async () => {
  for (const args of [
    ['--rate-limits', 'fast'],
    ['--faults', 'boom:1'],
    ['--port', 'abc'],
    ['--nope'],
    ['--app-type', 'desktop'],
    ['--app-grants', 'password'],
    ['--auth-faults', '404:1'],
    ['--session-limit', '0'],
  ]) {
    const child = startProcess(args);
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2, `${args.join(' ')}: ${err}`);
    assert.match(err, /^emulator: /);
    assert.doesNotMatch(err, /\n\s+at /);
  }
});
