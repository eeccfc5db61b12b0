/**
 * The one error hierarchy of inc. Every expected failure is an `IncError` with a stable code,
 * the exit code the CLI returns, and a hint that says what to do next. Anything else that
 * reaches the entry point is a bug and is reported with its stack.
 */

/** Exit codes, the contract documented in `inc --help` and the README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  findings: 3,
  unreachable: 4,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface IncErrorOptions {
  code?: string;
  exitCode?: ExitCodeValue;
  hint?: string;
  cause?: unknown;
}

export class IncError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: IncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'INC_ERROR';
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
  }
}

/** Invalid input: a bad flag value, an unknown name, a malformed file. Exit 2, nothing changed. */
export class UsageError extends IncError {
  constructor(message: string, options: Omit<IncErrorOptions, 'exitCode'> = {}) {
    super(message, { code: 'USAGE', ...options, exitCode: ExitCode.usage });
  }
}

/** A confirmation was needed but there is no terminal to ask on. */
export class ConfirmationNeededError extends IncError {
  constructor(what: string) {
    super(`${what} needs confirmation, and stdin is not a terminal`, {
      code: 'CONFIRMATION_NEEDED',
      exitCode: ExitCode.usage,
      hint: 'rerun with --yes to confirm non-interactively (or --dry-run to only plan)',
    });
  }
}

/** The user pressed Ctrl-C or cancelled a prompt. */
export class InterruptedError extends IncError {
  constructor(message = 'interrupted', options: Omit<IncErrorOptions, 'exitCode'> = {}) {
    super(message, { code: 'INTERRUPTED', ...options, exitCode: ExitCode.interrupted });
  }
}

/** A malformed file (YAML, JSON, template): names the file, line and column. */
export class FileFormatError extends UsageError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, line: number | undefined, column: number | undefined, detail: string, hint?: string) {
    const where = line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`;
    super(`${where}: ${detail}`, { code: 'FILE_FORMAT', hint });
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

export function isIncError(error: unknown): error is IncError {
  return error instanceof IncError;
}
