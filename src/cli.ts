import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CallLogOptions } from './commands/call-log.js';
import type { ExtensionsOptions } from './commands/extensions.js';
import type { GlobalFlags } from './config.js';
import { CliError, ExitCode } from './errors.js';
import { redact } from './output/redact.js';
import { VERSION } from './version.js';

/**
 * Builds the program and runs it; returns the exit code (never calls process.exit).
 * Command modules are imported when their command runs, so --help and --version stay fast.
 */

/** A parser for whole numbers in [min, max], for commander options. */
function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return value;
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const FORMAT_CHOICES = ['json', 'ndjson', 'csv', 'tsv', 'table'];
const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'];

/** Options every export shares (src/commands/export.ts). */
function exportOptions(command: Command, formatHelp: string): Command {
  return command
    .addOption(new Option('-f, --format <format>', formatHelp).choices(FORMAT_CHOICES))
    .option('--fields [fields]', 'comma-separated fields (dot paths); without a value, list them')
    .option('-o, --output <file>', 'write to this file (it appears only when the export is complete)')
    .addOption(new Option('--limit <n>', 'stop after this many records').argParser(wholeNumber(1, 1_000_000_000)))
    .addOption(
      new Option('--max-wait <seconds>', 'longest total wait for rate limits and retries').argParser(wholeNumber(0, 86_400)).default(300),
    )
    .option('--no-progress', 'no progress line on stderr');
}

async function listFieldsOr(
  fields: string | boolean | undefined,
  catalog: 'call-log' | 'extensions',
): Promise<string[] | 'listed' | undefined> {
  const { CALL_LOG_FIELDS, EXTENSION_FIELDS, parseFields } = await import('./output/fields.js');
  const known = catalog === 'call-log' ? CALL_LOG_FIELDS : EXTENSION_FIELDS;
  if (fields === true) {
    write(`${known.all.join('\n')}\n`);
    return 'listed';
  }
  return typeof fields === 'string' ? parseFields(fields, known) : undefined;
}

async function context(command: Command) {
  const { createContext } = await import('./context.js');
  return createContext(command.optsWithGlobals<GlobalFlags>());
}

function write(text: string): void {
  process.stdout.write(text);
}

export function buildProgram(): Command {
  const program = new Command('ringcentral')
    .description('Sign in to RingCentral and work with its API from the terminal.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--profile <name>', 'use a named profile (env RC_PROFILE; default "default")')
    .option('--server <server>', 'production, sandbox, or a URL (env RC_SERVER_URL)')
    .option('--env-file <path>', 'read RC_* settings from this file instead of ./.env')
    .option('--debug', 'log requests to stderr (secrets redacted) and show stack traces')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: write,
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, out) => out(text.replace(/^error: /, 'ringcentral: ')),
    })
    .exitOverride();

  program
    .command('login')
    .description('sign in through the browser (OAuth authorization code + PKCE)')
    .option('--client-id <id>', "your app's client id (env RC_CLIENT_ID)")
    .option('--redirect-uri <uri>', 'a registered loopback redirect URI (env RC_REDIRECT_URL)', undefined)
    .option('--no-browser', 'do not open a browser; print the address to open')
    .option('--jwt', 'sign in with a JWT credential (from RC_JWT, or --jwt-file) instead of the browser')
    .option('--jwt-file <path>', 'read the JWT from this file (- for standard input); implies --jwt')
    .option('--interactive', 'allow a browser sign-in without a terminal (a person is present)')
    .addOption(new Option('--timeout <seconds>', 'give up waiting after this long').argParser(wholeNumber(1, 86_400)).default(300))
    .action(async (options: import('./commands/login.js').LoginOptions, command: Command) => {
      const { login } = await import('./commands/login.js');
      await login(await context(command), options);
    });

  program
    .command('status')
    .description('show whether and as whom you are signed in, checked with RingCentral')
    .option('--json', 'print JSON')
    .option('--offline', 'show what is saved without asking RingCentral')
    .action(async (options: { json?: boolean; offline?: boolean }, command: Command) => {
      const { collectStatus, printStatus } = await import('./commands/status.js');
      printStatus(await collectStatus(await context(command), { offline: options.offline ?? false }), options.json ?? false, write);
    });

  program
    .command('token')
    .description('print a valid access token (refreshed if needed), e.g. for curl')
    .action(async (_options: unknown, command: Command) => {
      const { token } = await import('./commands/token.js');
      write(`${await token(await context(command))}\n`);
    });

  program
    .command('logout')
    .description('revoke the session at RingCentral and delete the local tokens')
    .action(async (_options: unknown, command: Command) => {
      const { logout } = await import('./commands/logout.js');
      await logout(await context(command));
    });

  program
    .command('api <method> <path>')
    .description('call any RingCentral API path with your session (like gh api)')
    .option('-q, --query <key=value>', 'a query parameter (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--paginate', 'follow navigation.nextPage and print the records as NDJSON')
    .option('--input <file>', 'JSON request body from FILE, or - for standard input')
    .addOption(
      new Option('--max-wait <seconds>', 'longest total wait for rate limits and retries').argParser(wholeNumber(0, 86_400)).default(300),
    )
    .action(async (method: string, path: string, options: import('./commands/api.js').ApiOptions, command: Command) => {
      const { api } = await import('./commands/api.js');
      await api(await context(command), method, path, options, write);
    });

  program
    .command('completion <shell>')
    .description('print a shell completion script (bash, zsh or fish)')
    .action(async (shell: string) => {
      const { completionScript } = await import('./commands/completion.js');
      write(completionScript(shell, program));
    });

  const profiles = program.command('profiles').description('list, choose and remove named profiles');
  profiles
    .command('list', { isDefault: true })
    .description('list the profiles with server, account, extension and expiry')
    .option('--json', 'print JSON')
    .option('--names', 'print only the names (for shell completion)')
    .action(async (options: { json?: boolean; names?: boolean }, command: Command) => {
      const { listProfiles, printProfiles } = await import('./commands/profiles.js');
      const found = listProfiles(await context(command));
      if (options.names) write(found.map((p) => `${p.name}\n`).join(''));
      else printProfiles(found, options.json ?? false, write);
    });
  profiles
    .command('use <name>')
    .description('make NAME the default profile')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { useProfile } = await import('./commands/profiles.js');
      useProfile(await context(command), name);
    });
  profiles
    .command('remove <name>')
    .description("revoke the profile's session and delete it")
    .action(async (name: string, _options: unknown, command: Command) => {
      const { removeProfile } = await import('./commands/profiles.js');
      await removeProfile(await context(command), name);
    });

  exportOptions(
    program
      .command('extensions')
      .description('list the extensions of the account (all pages)')
      .addOption(new Option('--status <list>', `only these statuses (${EXTENSION_STATUSES.join(', ')})`).argParser(list))
      .option('--type <list>', 'only these types (User, Department, IvrMenu, ...)', list)
      .option('--extension-number <number>', 'only this extension number'),
    'json, ndjson, csv, tsv or table (default: table on a terminal, json when piped)',
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const fields = await listFieldsOr(options.fields as string | boolean | undefined, 'extensions');
    if (fields === 'listed') return;
    const { extensions } = await import('./commands/extensions.js');
    const { validateExtensionFilters } = await import('./commands/validate.js');
    await extensions(await context(command), { ...validateExtensionFilters(options), fields } as unknown as ExtensionsOptions);
  });

  exportOptions(
    program
      .command('call-log')
      .description('export the call log, newest first, streamed page by page')
      .addOption(new Option('--scope <scope>', 'whole account (admins) or your own extension').choices(['account', 'extension']))
      .option(
        '--from <when>',
        'start: ISO 8601, a date (local midnight), today, yesterday, now, or 30m/24h/7d/2w ago (default: 24h before --to)',
      )
      .option('--to <when>', 'end, same forms (default: now, frozen at start)')
      .addOption(new Option('--view <view>', 'Simple or Detailed (adds legs)').choices(['Simple', 'Detailed']).default('Simple'))
      .addOption(new Option('--type <type>', 'Voice or Fax').choices(['Voice', 'Fax']))
      .addOption(new Option('--direction <direction>', 'Inbound or Outbound').choices(['Inbound', 'Outbound']))
      .option('--extension-number <number>', 'only calls of this extension (account scope)')
      .addOption(new Option('--page-size <n>', 'records per request').argParser(wholeNumber(1, 1000)).default(1000))
      .option('--since-state <file>', 'incremental export: continue where the run that wrote FILE ended (FILE is updated on success)')
      .option('--overlap <span>', 'with --since-state, start this much before the last end (late records)', '5m')
      .option('--window <span>', 'split the range into windows of this size (e.g. 1d), checkpointing after each'),
    'json, ndjson, csv, tsv or table (default: table on a terminal, ndjson when piped)',
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const fields = await listFieldsOr(options.fields as string | boolean | undefined, 'call-log');
    if (fields === 'listed') return;
    const { callLog } = await import('./commands/call-log.js');
    const { validateExtensionFilters } = await import('./commands/validate.js');
    await callLog(await context(command), { ...validateExtensionFilters(options), fields } as unknown as CallLogOptions);
  });

  const configure = (command: Command) => {
    command.exitOverride().configureOutput(program.configureOutput());
    for (const sub of command.commands) configure(sub);
  };
  for (const command of program.commands) configure(command);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, argv.includes('--debug'));
  }
}

function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are not failures.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`ringcentral: ${redact(error.message)}\n`);
    if (error.hint) process.stderr.write(`hint: ${redact(error.hint)}\n`);
    if (debug && error.cause instanceof Error) process.stderr.write(`${redact(String(error.cause.stack))}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ringcentral: unexpected error: ${redact(message)}\n`);
  process.stderr.write(debug && error instanceof Error ? `${redact(String(error.stack))}\n` : 'hint: run again with --debug for details\n');
  return ExitCode.failure;
}
