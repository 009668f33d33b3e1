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

it('a reader that goes away (| true) ends any command quietly: no trace, exit 0', async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../helpers/cli.js');
  const { tempDir } = await import('../helpers/env.js');
  const env = { ...process.env, RINGCENTRAL_CONFIG_DIR: tempDir(), NO_COLOR: '1' };
  for (const args of [['--help'], ['--version'], ['completion', 'bash'], ['call-log', '--help'], ['profiles', '--json']]) {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|at .*\(node:/, args.join(' '));
  }
});
