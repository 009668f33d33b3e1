import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliEnv, tempDir } from '../helpers/env.js';
import { runInProcess } from '../helpers/in-process.js';

/** argv → exit code and one error line, in-process (the e2e matrix checks the same through the built binary). */

const cases: { args: string[]; code: number; names: RegExp }[] = [
  { args: ['status', '--frob'], code: 2, names: /unknown option '--frob'/ },
  { args: ['extensions', '--format', 'xml'], code: 2, names: /'-f, --format <format>' argument 'xml' is invalid/ },
  { args: ['extensions', '--status', 'Enabled,Sleeping'], code: 2, names: /--status: unknown status "Sleeping"/ },
  { args: ['call-log', '--extension-number', '1O1'], code: 2, names: /--extension-number: "1O1" is not an extension number/ },
  { args: ['call-log', '--page-size', '2000'], code: 2, names: /expected a whole number from 1 to 1000/ },
  { args: ['extensions', '--limit', '0'], code: 2, names: /expected a whole number from 1 to 1000000000/ },
  { args: ['extensions', '--fields', 'nope'], code: 2, names: /--fields: unknown field "nope"/ },
  { args: ['call-log', '--from', 'tomorrowish'], code: 2, names: /--from: "tomorrowish" is not a date/ },
  { args: ['api', 'FETCH', '/x'], code: 2, names: /unknown method "FETCH"/ },
  { args: ['--profile', '../etc', 'status'], code: 2, names: /--profile: "\.\.\/etc" is not a valid profile name/ },
  { args: ['token'], code: 4, names: /not signed in \(profile "default"\)/ },
  { args: ['completion', 'powershell'], code: 2, names: /completion: unknown shell "powershell"/ },
  { args: ['call-log', '--from', '999999d'], code: 2, names: /--from: .* is more than 10 years before --to/ },
  { args: ['call-log', '--from', '300d', '--window', '1m'], code: 2, names: /--window: 432000 windows over this range \(at most 10000\)/ },
];

describe('run(argv) in-process', () => {
  for (const { args, code, names } of cases) {
    it(`${args.join(' ')} → exit ${code}`, async () => {
      const dir = tempDir();
      const result = await runInProcess(args, { env: cliEnv(dir), cwd: dir });
      assert.equal(result.code, code, result.stderr);
      assert.match(result.stderr, names);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trim().split('\n');
      assert.ok(lines.length <= 2 && lines[0]?.startsWith('ringcentral: '), result.stderr);
    });
  }

  it('--server sandbox still parses, with a warning that RingCentral retired it (and none from the SDK)', async () => {
    const dir = tempDir();
    const result = await runInProcess(['status', '--server', 'sandbox'], { env: cliEnv(dir), cwd: dir });
    assert.equal(result.code, 4);
    assert.match(result.stderr, /warning: RingCentral retired its sandbox .* use --server production/);
  });

  it('--fields without a value lists the fields on stdout, one a line', async () => {
    const dir = tempDir();
    const result = await runInProcess(['call-log', '--fields'], { env: cliEnv(dir), cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.split('\n').includes('from.phoneNumber'));
  });

  it('--version and --help print to stdout and exit 0', async () => {
    const version = await runInProcess(['--version']);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await runInProcess(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: ringcentral/);
    assert.ok(help.stdout.split('\n').every((line) => line.length <= 100));
  });
});

describe('profiles list --names (shell completion)', () => {
  it('lists only names a shell can take as they are: a file named to run a command is left out', async () => {
    const { formatProfiles } = await import('../../src/commands/profiles.js');
    const text = await formatProfiles(
      [
        { name: 'work', default: true },
        { name: '$(touch pwned)', default: false },
        { name: 'a`id`', default: false },
      ],
      { names: true },
    );
    assert.equal(text, 'work\n');
  });
});

describe('--help', () => {
  it('every command ends with 2-4 real examples and lists the global options', async () => {
    const { buildProgram } = await import('../../src/cli.js');
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) > 0, columns: 100 }, stderr: { write: () => true } } as never;
    const program = buildProgram(io);
    const commands = program.commands.flatMap((command) => [command, ...command.commands]);
    for (const command of [program, ...commands]) {
      out.length = 0;
      command.outputHelp();
      const text = out.join('');
      const examples = text.split('Examples:\n')[1]?.trim().split('\n') ?? [];
      assert.ok(examples.length >= 2 && examples.length <= 4, `${command.name()}: ${examples.length} examples`);
      assert.ok(
        examples.every((line) => line.startsWith('$ ') || line.includes('$ ')),
        command.name(),
      );
      if (command !== program) assert.match(text, /Global Options:\n[\s\S]*--profile <name>/, command.name());
    }
  });
});

describe('buildProgram(io, argv)', () => {
  const io = { stdout: { write: () => true, columns: 100 }, stderr: { write: () => true } } as never;
  const built = async (argv: string[]) => {
    const { buildProgram } = await import('../../src/cli.js');
    return buildProgram(io, argv).commands.map((command) => command.name());
  };

  it('defines only the command that runs, after global options, by name or alias', async () => {
    assert.deepEqual(await built(['token']), ['token']);
    assert.deepEqual(await built(['--profile', 'work', '--server', 'biz', 'whoami', '--offline']), ['status']);
    assert.deepEqual(await built(['--debug', 'profiles', 'use', 'work']), ['profiles']);
  });

  it('defines every command when argv is help, a typo, an unknown option or completion', async () => {
    const all = await built([]);
    assert.ok(all.length >= 11, all.join());
    for (const argv of [['help', 'token'], ['tokn'], ['--frob', 'token'], ['completion', 'bash'], ['--profile']]) {
      assert.deepEqual(await built(argv), all, argv.join(' '));
    }
  });
});
