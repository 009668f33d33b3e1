import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './errors.js';

/** Builds the program and runs it; returns the exit code (never calls process.exit). */

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export function buildProgram(): Command {
  const program = new Command('ringcentral')
    .description('Sign in to RingCentral and work with its API from the terminal.')
    .version(readVersion(), '-v, --version', 'print the version')
    .option('--debug', 'log requests to stderr (secrets redacted) and show stack traces')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'ringcentral: ')),
    });
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
    process.stderr.write(`ringcentral: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    if (debug && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ringcentral: unexpected error: ${message}\n`);
  process.stderr.write(debug && error instanceof Error ? `${error.stack}\n` : 'hint: run again with --debug for details\n');
  return ExitCode.failure;
}
