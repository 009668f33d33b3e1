/** Exit codes are part of the interface: scripts branch on them (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 4,
  temporary: 75,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  exitCode?: ExitCodeValue;
  hint?: string;
  cause?: unknown;
}

/** An error meant for the user: one line, an optional hint, a documented exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
  }
}

/** Bad input: names the flag or value and how to fix it (exit 2). */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint });
  }
}

/** Not signed in, session expired, access denied (exit 4). */
export class AuthError extends CliError {
  constructor(message: string, hint = 'run "ringcentral login" to sign in') {
    super(message, { exitCode: ExitCode.auth, hint });
  }
}

/** RingCentral answered 403: the app or the user lacks a permission (named when the API says which). */
export class PermissionError extends CliError {
  constructor(
    message: string,
    readonly permission: string | undefined,
    hint?: string,
    cause?: unknown,
  ) {
    super(message, { hint: hint ?? (permission ? `the app or user needs the ${permission} permission` : undefined), cause });
  }
}

/** Network trouble or rate limits that outlasted the retries (exit 75, EX_TEMPFAIL). */
export class TemporaryError extends CliError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.temporary, hint, cause });
  }
}

export class InterruptedError extends CliError {
  constructor(message = 'interrupted') {
    super(message, { exitCode: ExitCode.interrupted });
  }
}
