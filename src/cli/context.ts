import type { Command } from 'commander';
import type { Clock } from '../clock.js';
import { UsageError } from '../errors.js';
import { shouldUseColor } from '../ui/color.js';
import type { Output } from '../ui/output.js';
import { createTheme, type Theme } from '../ui/theme.js';

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The global options of every command, as DESIGN lists them (kubectl's names). */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  /** `--context` given more than once (only `inc triage` reads several: a fleet). */
  contexts?: string[];
  namespace?: string;
  allNamespaces: boolean;
  output: OutputFormat;
  color: boolean;
  yes: boolean;
  dryRun: boolean;
  incident?: string;
  debug: boolean;
  requestTimeout?: string;
  /** kubectl's --as, --as-group, --as-uid: whom Kubernetes requests act as. */
  as?: string;
  asGroups?: string[];
  asUid?: string;
}

/** Everything a command may touch of the outside world; built once in main, replaced in tests. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  clock: Clock;
  output: Output;
  stdin: NodeJS.ReadableStream;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Aborted on Ctrl-C; pass it to requests and child processes. */
  signal: AbortSignal;
  /** The user's terminal for control sequences of inc's own (the OSC 52 clipboard), when stderr is one. */
  terminal?: { write(text: string): unknown };
  /** The name inc was invoked by: `inc`, or `kubectl inc` as a kubectl plugin (default `inc`). */
  programName?: string;
  /** Starts `inc sync --background` detached from this process (main provides it; tests in-process do not). */
  startBackgroundSync?: () => void;
  /** Runs inc's own command line in-process (the demo's steps); runCli hands itself to every command. */
  runInc?: RunInc;
}

export type RunInc = (context: CliContext, args: readonly string[]) => Promise<number>;

/** The in-process command line the context carries; only runCli builds contexts for commands. */
export function runIncOf(ctx: CliContext): RunInc {
  if (!ctx.runInc) throw new Error('this context cannot run inc commands in-process');
  return ctx.runInc;
}

/** What an action works with: the context plus the parsed globals and the themes decided once. */
export interface CommandEnv extends CliContext {
  globals: GlobalOptions;
  /** Theme for stdout (the result). */
  theme: Theme;
  /** Theme for stderr (progress, warnings, errors). */
  errTheme: Theme;
  /** True when prompts are allowed: stdin and stderr are terminals. */
  interactive: boolean;
}

export function globalsOf(command: Command): GlobalOptions {
  const raw = command.optsWithGlobals() as Record<string, unknown>;
  const output = (raw.output ?? 'text') as string;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(`unknown output format "${output}"`, { hint: `use one of: ${OUTPUT_FORMATS.join(', ')}` });
  }
  const contexts = Array.isArray(raw.context) ? (raw.context as string[]) : undefined;
  if (contexts && topCommandOf(command).name() !== 'triage') {
    throw new UsageError(`--context is given ${contexts.length} times`, {
      hint: 'give one context; only inc triage reads several (a fleet)',
    });
  }
  return {
    kubeconfig: raw.kubeconfig as string | undefined,
    context: contexts ? contexts[0] : (raw.context as string | undefined),
    ...(contexts && { contexts }),
    namespace: raw.namespace as string | undefined,
    allNamespaces: Boolean(raw.allNamespaces),
    output: output as OutputFormat,
    color: raw.color !== false,
    yes: Boolean(raw.yes),
    dryRun: Boolean(raw.dryRun),
    incident: raw.incident as string | undefined,
    debug: Boolean(raw.debug),
    requestTimeout: raw.requestTimeout as string | undefined,
    ...(raw.as !== undefined && { as: raw.as as string }),
    ...(raw.asGroup !== undefined && { asGroups: raw.asGroup as string[] }),
    ...(raw.asUid !== undefined && { asUid: raw.asUid as string }),
  };
}

/** The command under the program (`playbooks` for `inc playbooks list`). */
function topCommandOf(command: Command): Command {
  let top = command;
  while (top.parent?.parent) top = top.parent;
  return top;
}

export function commandEnv(ctx: CliContext, command: Command): CommandEnv {
  const globals = globalsOf(command);
  const noColorFlag = !globals.color;
  return {
    ...ctx,
    globals,
    theme: createTheme(shouldUseColor({ env: ctx.env, isTTY: ctx.stdoutIsTTY, noColorFlag })),
    errTheme: createTheme(shouldUseColor({ env: ctx.env, isTTY: ctx.stderrIsTTY, noColorFlag })),
    interactive: ctx.stdinIsTTY && ctx.stderrIsTTY,
  };
}
