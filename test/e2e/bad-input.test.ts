import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { APP } from '../../emulator/client.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { runCli } from '../helpers/cli.js';
import { BASIC, jwtLogin, useEmulator } from '../helpers/emulator.js';
import { cliEnv, tempDir } from '../helpers/env.js';
import { storedSession } from '../helpers/fixtures.js';

/**
 * The bad-input matrix: for each bad input, the documented exit code, exactly one error line on
 * stderr naming what is wrong (plus at most one hint line), nothing on stdout, no stack trace,
 * and no file written.
 */

const emulator = await useEmulator();

interface Case {
  nodeDash?: boolean;
  args: string[];
  code: number;
  names: RegExp;
  env?: Record<string, string | undefined>;
  setup?: (dirs: { cwd: string; config: string }) => void | Promise<void>;
}

const session = (refreshExpires: number, accessToken?: string, refreshToken?: string) =>
  storedSession({ server: emulator.url, refreshExpires, accessToken: accessToken ?? `U1BC${'x'.repeat(50)}`, refreshToken });

const CASES: Case[] = [
  { args: ['frobnicate'], code: 2, names: /unknown command 'frobnicate'/ },
  {
    args: ['call-log', '--direction', 'sideways'],
    code: 2,
    names: /'--direction <direction>' argument 'sideways' is invalid\. Allowed choices are inbound, outbound/,
  },
  { args: ['call-log', '-f', 'xml'], code: 2, names: /argument 'xml' is invalid\. Allowed choices are json, ndjson, csv, tsv, table/ },
  { args: ['extensions', '--type', 'user,robot'], code: 2, names: /--type: unknown type "robot"/ },
  { args: ['status'], code: 2, names: /--profile: "bad name" is not a valid profile name/, env: { RC_PROFILE: 'bad name' } },
  { args: ['status', '--frob'], code: 2, names: /unknown option '--frob'/ },
  { args: ['--nope', 'status'], code: 2, names: /unknown option '--nope'/ },
  { args: ['call-log', '--from'], code: 2, names: /'--from <when>' argument missing/ },
  { args: ['login', '--timeout'], code: 2, names: /'--timeout <seconds>' argument missing/ },
  { args: ['call-log', '--from', 'lastweek'], code: 2, names: /--from: "lastweek" is not a date/ },
  { args: ['call-log', '--from', '2026-02-30'], code: 2, names: /--from: "2026-02-30" is not a date/ },
  { args: ['call-log', '--to', '2026-13-01T00:00:00Z'], code: 2, names: /--to: "2026-13-01T00:00:00Z" is not a date/ },
  { args: ['call-log', '--from', 'today', '--to', 'yesterday'], code: 2, names: /--from .* must be before --to/ },
  { args: ['call-log', '-f', 'xml'], code: 2, names: /--format <format>' argument 'xml' is invalid/ },
  { args: ['extensions', '--format', 'yaml'], code: 2, names: /argument 'yaml' is invalid/ },
  { args: ['call-log', '--fields', 'id,bogus'], code: 2, names: /--fields: unknown field "bogus"/ },
  { args: ['extensions', '--fields', 'salary'], code: 2, names: /--fields: unknown field "salary"/ },
  ...['-1', '0', '99999999999', 'ten'].map((value) => ({
    args: ['call-log', '--limit', value],
    code: 2,
    names: new RegExp(`'--limit <n>' argument '${value}' is invalid`),
  })),
  ...['0', '1001', '-5', 'x'].map((value) => ({
    args: ['call-log', '--page-size', value],
    code: 2,
    names: new RegExp(`'--page-size <n>' argument '${value}' is invalid`),
  })),
  ...['0', '-1', '999999', 'soon'].map((value) => ({
    args: ['login', '--timeout', value],
    code: 2,
    names: new RegExp(`'--timeout <seconds>' argument '${value}' is invalid`),
  })),
  { args: ['call-log', '--max-wait', 'forever'], code: 2, names: /'--max-wait <seconds>' argument 'forever' is invalid/ },
  { args: ['status', '--server', 'not a url'], code: 2, names: /--server: "not a url" is not a URL/ },
  { args: ['status', '--server', 'http://platform.ringcentral.com'], code: 2, names: /--server: .* must use https/ },
  { args: ['status', '--server', 'https://platform.ringcentral.com/restapi'], code: 2, names: /--server: .* without a path/ },
  { args: ['login', '--redirect-uri', 'http://example.com:5000/cb'], code: 2, names: /--redirect-uri: .* must point at this machine/ },
  { args: ['login', '--redirect-uri', 'https://localhost:5000/cb'], code: 2, names: /--redirect-uri: .* must use http/ },
  { args: ['login', '--redirect-uri', 'http://localhost:5000'], code: 2, names: /--redirect-uri: .* needs a path/ },
  { args: ['login', '--redirect-uri', 'http://localhost:99999/cb'], code: 2, names: /--redirect-uri: .* is not a URL/ },
  { args: ['login', '--redirect-uri', 'http://localhost/cb'], code: 2, names: /--redirect-uri: .* needs an explicit port/ },
  { args: ['status', '--dotenv', 'missing.env'], code: 2, names: /--dotenv: cannot read ".*missing.env": no such file/ },
  // Node 20 itself reads `--env-file` anywhere on its command line (a Node bug, fixed in later
  // versions), so the CLI's option is --dotenv; the old spelling gets a pointer (`node --` keeps
  // Node 20 out of it here).
  { args: ['status', '--env-file', 'missing.env'], code: 2, names: /--env-file is now --dotenv/, nodeDash: true },
  {
    args: ['status'],
    code: 2,
    names: /\.env:2 is not a KEY=VALUE line/,
    setup: ({ cwd }) => writeFileSync(join(cwd, '.env'), 'RC_CLIENT_ID=x\nthis is garbage\n'),
  },
  {
    args: ['token'],
    code: 1,
    names: /the token file .*default\.json is damaged/,
    setup: ({ config }) => {
      mkdirSync(join(config, 'profiles'), { recursive: true });
      writeFileSync(join(config, 'profiles', 'default.json'), '{"version":1,"tok');
    },
  },
  {
    args: ['login', '--jwt'],
    code: 1,
    names: /cannot use the config directory .*: ENOTDIR/,
    env: { RC_JWT: emulator.jwt, RC_CLIENT_ID: APP.clientId },
    setup: ({ config }) => writeFileSync(join(config, 'not-a-dir'), ''),
  },
  { args: ['call-log', '-o', 'missing/dir/calls.csv'], code: 2, names: /--output: cannot write to missing\/dir\/calls\.csv: ENOENT/ },
  {
    args: ['login', '--jwt'],
    code: 2,
    names: /RC_JWT \(from env\) does not hold a JWT/,
    env: { RC_JWT: 'not.a-jwt', RC_CLIENT_ID: APP.clientId },
  },
  { args: ['login', '--jwt-file', 'nope.jwt'], code: 2, names: /--jwt-file: cannot read "nope\.jwt": ENOENT/ },
  {
    args: ['token'],
    code: 4,
    names: /session expired on \d{4}-/,
    setup: async ({ config }) => await new TokenStore(config, 'default').write(session(Date.now() - 1000)),
  },
  {
    args: ['status'],
    code: 4,
    names: /revoked or has expired/,
    setup: async ({ config }) => {
      const tokens = await jwtLogin(emulator);
      await fetch(`${emulator.url}/restapi/oauth/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BASIC },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      await new TokenStore(config, 'default').write(session(Date.now() + 600_000, tokens.access_token, tokens.refresh_token));
    },
  },
  { args: ['status', '--profile', 'ghost'], code: 4, names: /not signed in \(profile "ghost"\)/ },
  { args: ['--profile', '../etc', 'status'], code: 2, names: /--profile: "\.\.\/etc" is not a valid profile name/ },
  { args: ['profiles', 'use', 'ghost'], code: 2, names: /no profile named "ghost"/ },
  { args: ['call-log', '--scope', 'everyone'], code: 2, names: /'--scope <scope>' argument 'everyone' is invalid/ },
  { args: ['call-log', '--view', 'Full'], code: 2, names: /'--view <view>' argument 'Full' is invalid/ },
  { args: ['extensions', '--status', 'Sleeping'], code: 2, names: /--status: unknown status "Sleeping"/ },
  { args: ['extensions', '--extension-number', '1O1'], code: 2, names: /--extension-number: "1O1" is not an extension number/ },
  { args: ['call-log', '--since-state', 's.json', '--from', '1d', '--overlap', '5x'], code: 2, names: /--overlap: "5x" is not a span/ },
  { args: ['call-log', '--since-state', 's.json', '--from', '1d', '--window', 'day'], code: 2, names: /--window: "day" is not a span/ },
  { args: ['api', 'FETCH', '/restapi'], code: 2, names: /unknown method "FETCH"/ },
  { args: ['completion', 'tcsh'], code: 2, names: /completion: unknown shell "tcsh"/ },
];

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((entry) => {
      const path = join(dir, String(entry));
      return `${relative(dir, path)}:${statSync(path).size}`;
    })
    .sort();
}

describe('bad-input matrix', () => {
  it(`has at least 40 cases (${CASES.length})`, () => assert.ok(CASES.length >= 40));

  for (const testCase of CASES) {
    it(`ringcentral ${testCase.args.join(' ')} → exit ${testCase.code}`, async () => {
      const cwd = tempDir();
      const config = join(tempDir(), 'config');
      mkdirSync(config);
      await testCase.setup?.({ cwd, config });
      const configDir = testCase.args[0] === 'login' && testCase.code === 1 ? join(config, 'not-a-dir', 'sub') : config;
      const before = [listing(cwd), listing(config)];
      const result = await runCli(testCase.args, {
        cwd,
        env: cliEnv(configDir, { RC_SERVER_URL: emulator.url, ...testCase.env }),
        nodeDash: testCase.nodeDash,
      });
      assert.equal(result.code, testCase.code, result.stderr);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^ringcentral: /);
      assert.match(lines[0] ?? '', testCase.names);
      assert.ok(lines.length <= 2, `more than an error and a hint:\n${result.stderr}`);
      if (lines[1] !== undefined) assert.match(lines[1], /^(hint: |\(Did you mean )/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.deepEqual([listing(cwd), listing(config)], before, 'no file written');
    });
  }
});
