import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { GlobalFlags } from './config.js';
import { CliError, ExitCode } from './errors.js';
import { redact } from './output/logger.js';
import { VERSION } from './version.js';

/**
 * Builds the program and runs it; returns the exit code (never calls process.exit).
 * Command modules are imported when their command runs, so --help and --version stay fast.
 */

function positiveSeconds(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 86_400) throw new InvalidArgumentError('expected whole seconds from 1 to 86400.');
  return value;
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
    .addOption(new Option('--timeout <seconds>', 'give up waiting after this long').argParser(positiveSeconds).default(300))
    .action(async (options: { browser: boolean; timeout: number }, command: Command) => {
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

  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
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
