import { Command, CommanderError, Option } from 'commander';
import {
  choiceOption,
  commaList,
  EXTENSION_STATUSES,
  EXTENSION_TYPES,
  exportOptions,
  extensionNumber,
  MESSAGE_TYPES,
  maxWaitOption,
  stdoutDash,
  wholeNumber,
} from './cli-options.js';
import type { ApiOptions } from './commands/api.js';
import type { CallLogOptions } from './commands/call-log.js';
import { type CommandContext, createContext } from './commands/context.js';
import type { ExtensionsOptions } from './commands/extensions.js';
import type { LoginOptions } from './commands/login.js';
import type { MessagesOptions } from './commands/messages.js';
import type { ListOptions } from './commands/profiles.js';
import type { StatusOptions } from './commands/status.js';
import type { SettingFlags } from './config/settings.js';
import { CliError, ExitCode } from './errors.js';
import { helpWidth, type Io, processIo } from './io.js';
import { printable } from './output/printable.js';
import { redact } from './output/redact.js';
import { VERSION } from './version.js';

/**
 * The command registry: each action is one call with typed options. run() returns the exit code
 * and never exits: tests call it in-process with their own streams.
 *
 * What is loaded and run when (npm run bench:startup measures it): `--version` and `--help` never
 * get here (main.ts). All of our own code is bundled into one file, dist/cli.cjs: on Node 20 each
 * further module file costs about a millisecond to load, more than compiling our code does. Each
 * command's module is imported when the command runs, so what only it uses (the export engine,
 * the sign-in flow, dates) is initialised only then; only that command is defined (commandNamed).
 * What is large or rarely needed stays out of the bundle and is imported where it is used: the
 * SDK, conf, the lock, CSV, tables, chalk, node:http and `open` for login; the build defers
 * crypto, fs/promises and child_process to their first call (scripts/build.mjs).
 */

/** The "Examples:" block every command's --help ends with. */
function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** How a command's action gets its context (settings, store, logger), built only when it runs. */
type ContextFor = (command: Command) => Promise<CommandContext>;

/** One entry per top-level command: the names it answers to, and how it adds itself to the program. */
interface CommandEntry {
  names: readonly string[];
  add(program: Command, context: ContextFor, io: Io): void;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    names: ['login'],
    add: (program, context) => {
      program
        .command('login')
        .description('sign in through the browser (OAuth authorization code + PKCE)')
        .option('--client-id <id>', "your app's client id (env RC_CLIENT_ID)")
        .option('--redirect-uri <uri>', 'a registered loopback redirect URI (env RC_REDIRECT_URL)')
        .option('--no-browser', 'do not open a browser; print the address to open')
        .option('--jwt', 'sign in with a JWT credential (from RC_JWT, or --jwt-file) instead of the browser')
        .option('--jwt-file <path>', 'read the JWT from this file (- for standard input); implies --jwt')
        .option('--interactive', 'allow a browser sign-in without a terminal (a person is present)')
        .option('--force', "replace the profile's session even if it is on another server")
        .addOption(new Option('--timeout <seconds>', 'give up waiting after this long').argParser(wholeNumber(1, 86_400)).default(300))
        .addHelpText(
          'after',
          examples([
            'ringcentral login',
            'ringcentral login --server biz --client-id YOUR_CLIENT_ID',
            'RC_JWT=$(cat jwt.txt) ringcentral login --jwt',
            'ringcentral login --profile work --server https://platform.ringcentral.com',
          ]),
        )
        .action(async (options: LoginOptions, command: Command) => {
          const { login } = await import('./commands/login.js');
          await login(await context(command), options);
        });
    },
  },
  {
    names: ['status', 'whoami'],
    add: (program, context) => {
      program
        .command('status')
        .alias('whoami')
        .description('show whether and as whom you are signed in, checked with RingCentral')
        .option('--json', 'print JSON')
        .option('--jq <expression>', 'filter the JSON through jq')
        .option('--offline', 'show what is saved without asking RingCentral')
        .addHelpText('after', examples(['ringcentral status', 'ringcentral whoami --offline', 'ringcentral status --jq .name']))
        .action(async (options: StatusOptions, command: Command) => {
          const { status } = await import('./commands/status.js');
          await status(await context(command), options);
        });
    },
  },
  {
    names: ['token'],
    add: (program, context) => {
      program
        .command('token')
        .description('print a valid access token (refreshed if needed), e.g. for curl')
        .addHelpText(
          'after',
          examples([
            'curl -H "Authorization: Bearer $(ringcentral token)" https://platform.ringcentral.com/restapi/v1.0/account/~',
            'ringcentral --profile work token',
          ]),
        )
        .action(async (_options: unknown, command: Command) => {
          const { token } = await import('./commands/token.js');
          await token(await context(command));
        });
    },
  },
  {
    names: ['doctor'],
    add: (program, context) => {
      program
        .command('doctor')
        .description('check the app, the sign-in and the permissions exports need, without changing anything')
        .option('--json', 'print JSON')
        .option('--jq <expression>', 'filter the JSON through jq')
        .addHelpText('after', examples(['ringcentral doctor', 'ringcentral doctor --json']))
        .action(async (options: { json?: boolean; jq?: string }, command: Command) => {
          const { doctor } = await import('./commands/doctor.js');
          await doctor(await context(command), options);
        });
    },
  },
  {
    names: ['logout'],
    add: (program, context) => {
      program
        .command('logout')
        .description('revoke the session at RingCentral and delete the local tokens')
        .addHelpText('after', examples(['ringcentral logout', 'ringcentral --profile work logout']))
        .action(async (_options: unknown, command: Command) => {
          const { logout } = await import('./commands/logout.js');
          await logout(await context(command));
        });
    },
  },
  {
    names: ['api'],
    add: (program, context) => {
      program
        .command('api <path> [path]')
        .usage('[options] [method] <path>')
        .description('call any RingCentral API path with your session, like gh api (relative paths are under /restapi/v1.0)')
        .option('-X, --method <method>', 'the HTTP method (default GET, or POST with a body or fields)')
        .option('-H, --header <key:value>', 'a request header (repeatable)', collect, [])
        .option('-f, --raw-field <key=value>', 'a string field: the query of a GET, else the JSON body (repeatable)', collect, [])
        .option('-F, --field <key=value>', 'a typed field: true, false, null, numbers, @file (repeatable)', collect, [])
        .option('--query <key=value>', 'a query parameter, whatever the method (repeatable)', collect, [])
        .option('-q, --jq <expression>', 'filter the JSON answer through jq (each record with --paginate)')
        .option('-i, --include', 'print the HTTP status and headers before the body')
        .option('--paginate', 'follow navigation.nextPage and print the records as NDJSON')
        .option('--slurp', 'with --paginate: all records in one JSON array')
        .option('--input <file>', 'JSON request body from FILE, or - for standard input')
        .option(
          '-o, --output <file>',
          'write the answer to FILE (it appears only when complete; - is stdout); binary answers are written as they came',
          stdoutDash,
        )
        .addOption(maxWaitOption())
        .addOption(new Option('--timeout <seconds>', 'longest time one request may take (default 60)').argParser(wholeNumber(1, 3600)))
        .addHelpText(
          'after',
          examples([
            'ringcentral api /account/~',
            'ringcentral api /account/~/extension --paginate --jq .name',
            'ringcentral api -i /account/~/extension/~',
            'ringcentral api -X GET /account/~/call-log -f view=Detailed -f perPage=10',
          ]),
        )
        .action(async (first: string, second: string | undefined, options: ApiOptions, command: Command) => {
          const { api } = await import('./commands/api.js');
          await api(await context(command), first, second, options);
        });
    },
  },
  {
    names: ['completion'],
    add: (program, _context, io) => {
      program
        .command('completion <shell>')
        .description('print a shell completion script (bash, zsh or fish)')
        .addHelpText('after', examples(['source <(ringcentral completion bash)', 'ringcentral completion fish | source']))
        .action(async (shell: string) => {
          const { completionScript } = await import('./commands/completion.js');
          io.stdout.write(completionScript(shell, program));
        });
    },
  },
  {
    names: ['profiles'],
    add: (program, context) => {
      const profiles = program
        .command('profiles')
        .description('list, choose and remove named profiles')
        .addHelpText('after', examples(['ringcentral profiles', 'ringcentral profiles use work', 'ringcentral profiles remove old']));
      profiles
        .command('list', { isDefault: true })
        .description('list the profiles with server, account, extension and expiry')
        .option('--json', 'print JSON')
        .option('--jq <expression>', 'filter the JSON through jq')
        .option('--names', 'print only the names (for shell completion)')
        .addHelpText('after', examples(['ringcentral profiles list', 'ringcentral profiles --json --jq ".[].name"']))
        .action(async (options: ListOptions, command: Command) => {
          const { listProfiles } = await import('./commands/profiles.js');
          await listProfiles(await context(command), options);
        });
      profiles
        .command('use <name>')
        .description('make NAME the default profile')
        .addHelpText('after', examples(['ringcentral profiles use work', 'ringcentral profiles use default']))
        .action(async (name: string, _options: unknown, command: Command) => {
          const { useProfile } = await import('./commands/profiles.js');
          await useProfile(await context(command), name);
        });
      profiles
        .command('remove <name>')
        .description("revoke the profile's session and delete it")
        .addHelpText('after', examples(['ringcentral profiles remove old', 'ringcentral profiles remove work']))
        .action(async (name: string, _options: unknown, command: Command) => {
          const { removeProfile } = await import('./commands/profiles.js');
          await removeProfile(await context(command), name);
        });
    },
  },
  {
    names: ['extensions'],
    add: (program, context) => {
      exportOptions(
        program
          .command('extensions')
          .description('list the extensions of the account (all pages)')
          .option(
            '--status <list>',
            `only these statuses (${EXTENSION_STATUSES.join(', ')})`,
            commaList({ flag: '--status', noun: 'status', values: EXTENSION_STATUSES }),
          )
          .option(
            '--type <list>',
            'only these types (User, Department, IvrMenu, ...)',
            commaList({ flag: '--type', noun: 'type', values: EXTENSION_TYPES }),
          )
          .option('--extension-number <number>', 'only this extension number', extensionNumber),
        'json, ndjson, csv, tsv or table (default: table on a terminal, json when piped)',
      )
        .addHelpText(
          'after',
          examples([
            'ringcentral extensions',
            'ringcentral extensions --type User --json extensionNumber,name',
            'ringcentral extensions -o extensions.csv',
          ]),
        )
        .action(async (options: ExtensionsOptions, command: Command) => {
          const { extensions } = await import('./commands/extensions.js');
          await extensions(await context(command), options);
        });
    },
  },
  {
    names: ['call-log'],
    add: (program, context) => {
      exportOptions(
        program
          .command('call-log')
          .description('export the call log, newest first, streamed page by page')
          .addOption(choiceOption('--scope <scope>', 'whole account (admins) or your own extension', ['account', 'extension']))
          .option(
            '--from <when>',
            'start: ISO 8601, a date (local midnight), today, yesterday, now, or 30m/24h/7d/2w ago (default: 24h before --to)',
          )
          .option('--to <when>', 'end, same forms (default: now, frozen at start)')
          .addOption(
            choiceOption('--view <view>', 'simple or detailed (adds legs)', ['Simple', 'Detailed']).default(
              undefined,
              'simple; detailed with --recordings',
            ),
          )
          .addOption(choiceOption('--type <type>', 'voice or fax', ['Voice', 'Fax']))
          .addOption(choiceOption('--direction <direction>', 'inbound or outbound', ['Inbound', 'Outbound']))
          .option('--extension-number <number>', 'only calls of this extension (account scope)', extensionNumber)
          .addOption(new Option('--page-size <n>', 'records per request').argParser(wholeNumber(1, 1000)).default(1000))
          .option(
            '--since-state <file>',
            'incremental export: continue where the run that wrote FILE ended (FILE is updated on success; a first run takes the last 24 h)',
          )
          .option('--reset-state', 'with --since-state, start over at --from (or 24 h back), ignoring what FILE says')
          .option(
            '--changes',
            'with --since-state: every new version of a call (with lastModifiedTime) and deletions ({"id":…,"deleted":true}), for upserts',
          )
          .option('--overlap <span>', 'with --since-state, re-read this much before the last run (records that appear late)', '5m')
          .option('--window <span>', 'split the range into windows of this size (e.g. 1d), checkpointing after each')
          .option(
            '--recordings <dir>',
            "download each exported call's recordings into DIR/YYYY/MM/DD/, listed in DIR/manifest.ndjson (once each; a rerun resumes)",
          ),
        'json, ndjson, csv, tsv or table (default: table on a terminal, ndjson when piped)',
      )
        .addHelpText(
          'after',
          examples([
            'ringcentral call-log --from 7d',
            'ringcentral call-log --from yesterday --to today -o calls.csv',
            'ringcentral --quiet call-log --since-state state.json --recordings ~/call-archive -o calls-$(date +%F).ndjson',
            'ringcentral call-log --jq \'select(.result == "Missed") | .from.phoneNumber\'',
          ]),
        )
        .action(async (options: CallLogOptions, command: Command) => {
          const { callLog } = await import('./commands/call-log.js');
          await callLog(await context(command), options);
        });
    },
  },
  {
    names: ['messages'],
    add: (program, context) => {
      exportOptions(
        program
          .command('messages')
          .description('export the message store (SMS/MMS, pager, voicemail, fax), newest first')
          .option(
            '--type <list>',
            'only these types (sms, pager, voicemail, fax)',
            commaList({ flag: '--type', noun: 'message type', values: MESSAGE_TYPES }),
          )
          .addOption(choiceOption('--direction <direction>', 'inbound or outbound', ['Inbound', 'Outbound']))
          .addOption(choiceOption('--read-status <status>', 'read or unread', ['Read', 'Unread']))
          .option('--from <when>', 'start: the same forms as call-log (default: 24h before --to)')
          .option('--to <when>', 'end, same forms (default: now, frozen at start)')
          .addOption(
            choiceOption('--scope <scope>', 'your own mailbox (extension, the default) or every one (account: --all-extensions)', [
              'account',
              'extension',
            ]),
          )
          .option('--all-extensions', "every user's mailbox, one after the other (admins)")
          .addOption(new Option('--page-size <n>', 'records per request').argParser(wholeNumber(1, 1000)).default(1000))
          .option('--since-state <file>', 'incremental export: continue where the run that wrote FILE ended (each message once)')
          .option('--reset-state', 'with --since-state, start over at --from (or 24 h back), ignoring what FILE says')
          .option('--overlap <span>', 'with --since-state, re-read this much before the last run', '5m')
          .option(
            '--attachments <dir>',
            "download each exported message's attachments into DIR/YYYY/MM/DD/, listed in DIR/manifest.ndjson (once each; a rerun resumes)",
          ),
        'json, ndjson, csv, tsv or table (default: table on a terminal, ndjson when piped)',
      )
        .addHelpText(
          'after',
          examples([
            'ringcentral messages --from 7d --type voicemail,fax',
            'ringcentral messages --all-extensions --from 2026-11-01 -o messages.csv',
            'ringcentral --quiet messages --all-extensions --since-state messages.json --attachments ~/message-archive -o messages-$(date +%F).ndjson',
          ]),
        )
        .action(async (options: MessagesOptions, command: Command) => {
          const { messages } = await import('./commands/messages.js');
          await messages(await context(command), options);
        });
    },
  },
];

/** The program: global options, and every command (or, given argv, only the one it runs). */
export function buildProgram(io: Io, argv?: readonly string[]): Command {
  const program = new Command('ringcentral')
    .description('Sign in to RingCentral and work with its API from the terminal.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--profile <name>', 'use a named profile (env RC_PROFILE; default "default")')
    .option('--server <server>', 'production, biz (AT&T Office@Hand, Verizon), or a URL (env RC_SERVER_URL)')
    .option('--dotenv <path>', 'read RC_* settings from this file instead of ./.env')
    .addOption(new Option('--env-file <path>').hideHelp())
    .option('--debug', 'log requests to stderr (secrets redacted) and show stack traces')
    .option('--quiet', 'print nothing on stderr but errors (for cron)')
    .showSuggestionAfterError(true)
    .configureHelp({ helpWidth: helpWidth(io.stdout), showGlobalOptions: true })
    .addHelpText(
      'after',
      examples(['ringcentral login', 'ringcentral call-log --from 7d', 'ringcentral api /account/~/extension/~ --jq .name']),
    )
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'ringcentral: ')),
    })
    .exitOverride();

  /** The context, built when a command runs (settings, store, logger) from the global flags. */
  const context: ContextFor = (command) => createContext(command.optsWithGlobals<SettingFlags>(), io);
  const only = commandNamed(program, argv);
  for (const entry of COMMANDS) if (only === undefined || entry.names.includes(only)) entry.add(program, context, io);
  return program;
}

/**
 * The command that argv runs, when it is plainly one of ours (global options may come first):
 * then only that command is built, which spares every run the cost of defining all the others.
 * Anything else (help, a typo, an unknown option) gets the whole program, so commander can answer
 * with the full list or a suggestion.
 */
function commandNamed(program: Command, argv: readonly string[] | undefined): string | undefined {
  if (argv === undefined) return undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) return COMMANDS.some((entry) => entry.names.includes(arg)) && arg !== 'completion' ? arg : undefined;
    const option = program.options.find((o) => o.long === arg || o.short === arg);
    if (option === undefined) return undefined;
    if (option.required) i++;
  }
  return undefined;
}

export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io, argv);
  try {
    // Bare `ringcentral`: the help, as a request for it (not an error).
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, argv.includes('--debug'), io.stderr);
  }
}

/** The one place errors become text and exit codes: one line, a hint, a stack only with --debug. */
function reportError(error: unknown, debug: boolean, stderr: NodeJS.WritableStream): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are not failures.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    stderr.write(`ringcentral: ${printable(redact(error.message))}\n`);
    if (error.hint) stderr.write(`hint: ${printable(redact(error.hint))}\n`);
    if (debug && error.cause instanceof Error) stderr.write(`${redact(String(error.cause.stack))}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`ringcentral: unexpected error: ${printable(redact(message))}\n`);
  stderr.write(debug && error instanceof Error ? `${redact(String(error.stack))}\n` : 'hint: run again with --debug for details\n');
  return ExitCode.failure;
}
