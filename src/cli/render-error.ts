import { CommanderError } from 'commander';
import { type ClusterFlags, withClusterFlags } from '../cluster-flags.js';
import { ExitCode, type ExitCodeValue, IncError } from '../errors.js';
import type { Theme } from '../ui/theme.js';
import { hintOf } from './command-hints.js';
import { usageCommandOf } from './inc-command.js';

export interface RenderedError {
  exitCode: ExitCodeValue;
  lines: string[];
}

const PROMPT_CANCELLED = new Set(['ExitPromptError', 'AbortPromptError', 'AbortError']);

/**
 * Turns any thrown value into the exit code and the stderr lines to print.
 * Expected errors are one red line plus a hint; anything else is a bug and keeps its stack.
 */
export function renderError(
  error: unknown,
  theme: Theme,
  debug: boolean,
  clusterFlags: ClusterFlags = {},
): RenderedError {
  if (error instanceof CommanderError) return renderCommanderError(error, theme);
  if (error instanceof Error && PROMPT_CANCELLED.has(error.name)) {
    return { exitCode: ExitCode.interrupted, lines: [theme.warn('inc: cancelled')] };
  }
  if (error instanceof IncError) {
    // A command named in the error, pasted, acts on the cluster this one was given.
    const lines = [theme.error(`inc: error: ${withClusterFlags(error.message, clusterFlags)}`)];
    const hint = hintOf(error);
    if (hint) lines.push(theme.dim(`hint: ${withClusterFlags(hint, clusterFlags)}`));
    if (debug && error.stack) lines.push(theme.dim(stackWithCauses(error)));
    return { exitCode: error.exitCode, lines };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [theme.error(`inc: unexpected error: ${message}`)];
  lines.push(theme.dim(error instanceof Error && error.stack ? stackWithCauses(error) : String(error)));
  lines.push('This is a bug in inc; please report it with the command you ran and the output above.');
  return { exitCode: ExitCode.failure, lines };
}

function renderCommanderError(error: CommanderError, theme: Theme): RenderedError {
  if (
    error.code === 'commander.helpDisplayed' ||
    error.code === 'commander.version' ||
    error.code === 'commander.help' ||
    error.exitCode === 0
  ) {
    return { exitCode: ExitCode.ok, lines: [] };
  }
  // commander's message is "error: unknown option '--fo'\n(Did you mean --foo?)": fold it to one line.
  const text = error.message
    .replace(/^error: /, '')
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
  // The help of the command the error is about, when known: its options and examples are there.
  const command = usageCommandOf(error);
  const help =
    command && command !== 'inc'
      ? `run "${command} --help" for its usage`
      : 'run "inc --help" (or "inc COMMAND --help") for usage';
  return { exitCode: ExitCode.usage, lines: [theme.error(`inc: error: ${text}`), theme.dim(`hint: ${help}`)] };
}

function stackWithCauses(error: Error): string {
  let text = error.stack ?? String(error);
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
