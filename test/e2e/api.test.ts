import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { stats } from '../helpers/emulator.js';
import { tempDir } from '../helpers/env.js';
import { groundTruth, signedIn } from '../helpers/signed-in.js';

const s = await signedIn({ callLog: 2000, extensions: 12 });
const api = (args: string[], input?: string) => runCli(['api', ...args], { env: s.env, cwd: s.configDir, ...(input ? { input } : {}) });

it('GET prints the JSON body; -f (or --query) adds query parameters', async () => {
  const account = await api(['GET', '/restapi/v1.0/account/~']);
  assert.equal(account.code, 0, account.stderr);
  assert.ok(JSON.parse(account.stdout).mainNumber);
  const page = await api(['get', '/restapi/v1.0/account/~/extension', '-f', 'perPage=5', '--query', 'status=Enabled']);
  assert.equal(JSON.parse(page.stdout).records.length, 5);
});

it('like gh api: the method is optional, paths are relative to /restapi/v1.0, -q/--jq filters, -i shows status and headers', async () => {
  const name = await api(['/account/~/extension/~', '--jq', '.name']);
  assert.equal(name.code, 0, name.stderr);
  assert.equal(name.stdout, 'Alex Morgan\n', 'a string prints raw');
  const ids = await api(['-X', 'GET', 'account/~/extension', '-f', 'perPage=3', '-q', '.records[].extensionNumber']);
  assert.equal(ids.stdout, '101\n102\n103\n');
  const included = await api(['-i', '/account/~']);
  assert.match(included.stdout, /^HTTP 200\n/);
  assert.match(included.stdout, /\ncontent-type: application\/json/i);
  assert.ok(JSON.parse(included.stdout.slice(included.stdout.indexOf('\n\n') + 2)).mainNumber);
  const bad = await api(['/account/~', '--jq', '.[']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^ringcentral: --jq: /);
});

it('-F typed fields make a POST body (the method follows from the body); -H adds headers', async () => {
  // The emulator has no write endpoints: the 405 shows the request went out as a POST.
  const post = await api(['/account/~/extension', '-F', 'contact.firstName=Jo', '-F', 'admin=true', '-H', 'X-Test: 1']);
  assert.equal(post.code, 1);
  assert.match(post.stderr, /405/);
  const slurped = await api(['/account/~/extension', '--paginate', '--slurp', '-f', 'perPage=5']);
  assert.equal(slurped.code, 0, slurped.stderr);
  assert.equal(JSON.parse(slurped.stdout).length, 12);
});

it('--paginate follows navigation.nextPage and streams the records as NDJSON', async () => {
  const from = new Date(Date.now() - 31 * 86_400_000).toISOString();
  const result = await api(['GET', '/restapi/v1.0/account/~/call-log', '--paginate', '-f', `dateFrom=${from}`, '-f', 'perPage=300']);
  assert.equal(result.code, 0, result.stderr);
  const ids = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).id);
  assert.deepEqual(
    ids,
    (await groundTruth(s.emulator)).map((r) => r.id),
  );
});

it('refreshes like every command: after the server expires the token, one refresh and success', async () => {
  await fetch(`${s.emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
  const before = await stats(s.emulator);
  const result = await api(['GET', '/restapi/v1.0/account/~/extension/~']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await stats(s.emulator)).tokenGrants.refresh_token, (before.tokenGrants.refresh_token ?? 0) + 1);
});

it('errors keep the documented exit codes; bad input is a usage error', async () => {
  const body = join(tempDir(), 'body.json');
  writeFileSync(body, '{"name":"x"}');
  const post = await api(['POST', '/restapi/v1.0/account/~/extension', '--input', body]);
  assert.equal(post.code, 1);
  assert.match(post.stderr, /^ringcentral: RingCentral refused the request: 405/);
  const missing = await api(['GET', '/restapi/v1.0/account/~/nothing']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /404/);
  for (const [args, pattern] of [
    [['FETCH', '/restapi'], /unknown method "FETCH"/],
    [['GET', '/x', '-f', 'novalue'], /-f: "novalue" is not key=value/],
    [['GET', '/x', '-H', 'novalue'], /-H: "novalue" is not key:value/],
    [['GET', '/x', '-H', 'Authorization: Bearer x'], /the Authorization header is the session's own/],
    [['GET', '/x', '--slurp'], /--slurp goes with --paginate/],
    [['POST', '/x', '--input', '-'], /--input: standard input is not JSON/],
    [['POST', '/x', '--paginate'], /--paginate only works with GET/],
  ] as const) {
    const result = await api([...args], 'not json');
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});
