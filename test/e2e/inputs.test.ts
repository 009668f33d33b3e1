import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { signedIn } from '../helpers/signed-in.js';

/** Inputs people actually type: any case, `-o -`, an --output extension, no command at all, empty RC_*. */

const s = await signedIn({ callLog: 600 });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { env: { ...s.env, ...env }, cwd: s.configDir });
const lines = (text: string) => text.trim().split('\n').filter(Boolean);

describe('inputs', () => {
  it('choice values in any case mean the same (--direction inbound, --scope ACCOUNT, -f NDJSON, --type user)', async () => {
    const canonical = await run(['call-log', '--from', '31d', '--direction', 'Inbound', '--scope', 'account', '-f', 'ndjson']);
    const lower = await run(['call-log', '--from', '31d', '--direction', 'inbound', '--scope', 'ACCOUNT', '-f', 'NDJSON']);
    assert.equal(lower.code, 0, lower.stderr);
    assert.ok(lines(canonical.stdout).length > 0);
    assert.equal(lower.stdout, canonical.stdout);
    const users = await run(['extensions', '--type', 'user', '-f', 'ndjson']);
    assert.equal(users.code, 0, users.stderr);
    assert.ok(lines(users.stdout).every((line) => JSON.parse(line).type === 'User'));
  });

  it('-o - is standard output; -o FILE.csv writes CSV (the extension says the format unless -f does)', async () => {
    const dir = tempDir();
    const dash = await run(['call-log', '--from', '31d', '--limit', '5', '-f', 'ndjson', '-o', '-'], {});
    assert.equal(dash.code, 0, dash.stderr);
    assert.equal(lines(dash.stdout).length, 5);
    assert.equal(existsSync(join(s.configDir, '-')), false, 'no file named "-"');
    const csv = join(dir, 'calls.csv');
    assert.equal((await run(['call-log', '--from', '31d', '--limit', '5', '-o', csv])).code, 0);
    assert.match(readFileSync(csv, 'utf8'), /^id,startTime,duration,/);
    const forced = join(dir, 'calls2.csv');
    assert.equal((await run(['call-log', '--from', '31d', '--limit', '5', '-o', forced, '-f', 'ndjson'])).code, 0);
    assert.equal(lines(readFileSync(forced, 'utf8')).length, 5);
    assert.doesNotThrow(() => JSON.parse(lines(readFileSync(forced, 'utf8'))[0] ?? ''));
  });

  it('bare ringcentral prints the help and exits 0; whoami is status; an empty RC_PROFILE is unset', async () => {
    const bare = await run([]);
    assert.equal(bare.code, 0);
    assert.match(bare.stdout, /^Usage: ringcentral/);
    const whoami = await run(['whoami', '--offline']);
    const status = await run(['status', '--offline']);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(whoami.stdout, status.stdout);
    const empty = await run(['status', '--offline'], { RC_PROFILE: '' });
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, status.stdout);
  });

  it('a .env is read quietly ($(ringcentral token) stays clean); --debug says which file', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), `# settings\nRC_SERVER_URL=${s.emulator.url}\nRC_NOTE="two\nlines"\n`);
    const quiet = await runCli(['status', '--offline'], { env: s.env, cwd });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    const debug = await runCli(['--debug', 'status', '--offline'], { env: s.env, cwd });
    assert.match(debug.stderr, /using RC_\* settings from .*\.env/);
  });

  it('--jq filters each record with a real jq; --json FIELDS is -f json --fields; status and profiles take --jq too', async () => {
    const ids = await run(['call-log', '--from', '31d', '--limit', '5', '--jq', '.id']);
    assert.equal(ids.code, 0, ids.stderr);
    assert.equal(lines(ids.stdout).length, 5);
    assert.ok(
      lines(ids.stdout).every((line) => /^[A-Za-z0-9]{15}$/.test(line)),
      'strings print raw',
    );
    const inbound = await run([
      'call-log',
      '--from',
      '31d',
      '--limit',
      '50',
      '--jq',
      'select(.direction == "Inbound") | {id, d: .duration}',
    ]);
    assert.ok(lines(inbound.stdout).every((line) => Object.keys(JSON.parse(line)).join() === 'id,d'));
    const json = await run(['extensions', '--json', 'extensionNumber,name']);
    assert.equal(json.code, 0, json.stderr);
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.ok(records.length > 0 && records.every((r) => Object.keys(r).join() === 'extensionNumber,name'));
    assert.equal((await run(['status', '--offline', '--jq', '.loggedIn'])).stdout, 'true\n');
    assert.match((await run(['profiles', '--jq', '.[].name'])).stdout, /^default$/m);
    const bad = await run(['call-log', '--jq', '.[', '--limit', '1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^ringcentral: --jq: .*syntax error/);
    assert.equal((await run(['call-log', '--jq', '.id', '-f', 'csv'])).code, 2);
    assert.equal((await run(['extensions', '--json', 'name', '-f', 'csv'])).code, 2);
  });
});
