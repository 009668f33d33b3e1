import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { runCli } from '../helpers/cli.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

it('--version prints the package version on stdout', async () => {
  const result = await runCli(['--version']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, `${manifest.version}\n`);
  assert.equal(result.stderr, '');
});

it('--help lists the program and exits 0', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: ringcentral /);
});

it('an unknown option is a usage error (exit 2) on stderr, without a stack trace', async () => {
  const result = await runCli(['--frobnicate']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^ringcentral: unknown option '--frobnicate'/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});
