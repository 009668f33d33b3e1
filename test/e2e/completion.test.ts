import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
import { cliEnv, tempDir } from '../helpers/env.js';

/** Completes in a real bash: the script loads, and a partial word becomes a command, an option or a choice. */
function complete(words: string[], env: NodeJS.ProcessEnv): string {
  const script = `ringcentral() { "${process.execPath}" "${BIN}" "$@"; }
source <(ringcentral completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ringcentral; echo "\${COMPREPLY[*]}"`;
  return execFileSync('bash', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

it('the bash script loads and completes commands, options, choices and profile names', () => {
  const dir = tempDir();
  const env = cliEnv(dir) as NodeJS.ProcessEnv;
  assert.equal(complete(['ringcentral', 'sta'], env), 'status');
  assert.equal(complete(['ringcentral', 'call-log', '--dir'], env), '--direction');
  assert.equal(complete(['ringcentral', 'call-log', '--format', 'n'], env), 'ndjson');
  assert.equal(complete(['ringcentral', 'profiles', 're'], env), 'remove');
  execFileSync('mkdir', ['-p', `${dir}/profiles`]);
  execFileSync('touch', [`${dir}/profiles/work.json`, `${dir}/profiles/home.json`]);
  assert.equal(complete(['ringcentral', '--profile', ''], env), 'home work');
});

it('zsh and fish scripts are generated; an unknown shell is a usage error', async () => {
  const zsh = await runCli(['completion', 'zsh']);
  assert.match(zsh.stdout, /bashcompinit/);
  const fish = await runCli(['completion', 'fish']);
  assert.match(fish.stdout, /complete -c ringcentral -n '__fish_use_subcommand' -a '.*call-log/);
  assert.match(fish.stdout, /-l format -xa 'json ndjson csv tsv table'/);
  const bad = await runCli(['completion', 'powershell']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown shell "powershell"/);
});
