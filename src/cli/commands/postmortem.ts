import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { InquirerPrompter } from '../../ui/inquirer-prompter.js';
import { type CliContext, commandEnv, OUTPUT_FORMATS } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface PostmortemFlags {
  file?: string;
  interactive?: boolean;
  force?: boolean;
}

type Destination = { kind: 'default' } | { kind: 'file'; path: string } | { kind: 'stdout' } | { kind: 'json' };

/**
 * Where the postmortem goes. `-o` is also the global output format, so `-o FILE` reaches this
 * command as the global value: a format name keeps its meaning (`-o markdown` prints the
 * Markdown, `-o json` the data), anything else is a file name, and `-` is stdout. (A file name
 * only gets here when the program's global `-o` does not restrict its values to format names.)
 */
function destinationOf(command: Command, flags: PostmortemFlags): Destination {
  if (flags.file) return flags.file === '-' ? { kind: 'stdout' } : { kind: 'file', path: flags.file };
  const root = command.parent;
  if (root?.getOptionValueSource('output') !== 'cli') return { kind: 'default' };
  const value = String(root.getOptionValue('output'));
  if (value === 'json') return { kind: 'json' };
  if (value === 'markdown') return { kind: 'stdout' };
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return { kind: 'default' };
  // "-" or a file name: put the global format back to its default so the common option check passes.
  root.setOptionValue('output', 'text');
  return value === '-' ? { kind: 'stdout' } : { kind: 'file', path: value };
}

/** "postmortem-signals.svg" beside postmortem.md (or NAME-signals.svg beside NAME.md); none when nothing is written. */
function chartFileFor(destination: Destination, dryRun: boolean): string | undefined {
  if (dryRun || destination.kind === 'stdout' || destination.kind === 'json') return undefined;
  const file = destination.kind === 'file' ? basename(destination.path) : 'postmortem.md';
  return `${file.replace(/\.(md|markdown)$/i, '')}-signals.svg`;
}

async function runPostmortem(ctx: CliContext, flags: PostmortemFlags, command: Command): Promise<void> {
  const destination = destinationOf(command, flags);
  const env = commandEnv(ctx, command);
  if (flags.interactive && !env.interactive) {
    throw new UsageError('--interactive needs a terminal to ask on', {
      hint: 'run it in a terminal, or run without --interactive and fill in the TODO prompts in the file',
    });
  }
  const { loadConfig } = await import('../../config.js');
  const { draftPostmortem, savePostmortem } = await import('../../report/write-postmortem.js');
  const draft = await draftPostmortem({
    env: env.env,
    clock: env.clock,
    cwd: env.cwd,
    config: loadConfig(env.env),
    incident: env.globals.incident,
    prompter: flags.interactive ? new InquirerPrompter({ signal: env.signal }) : undefined,
    chartFile: chartFileFor(destination, env.globals.dryRun),
  });
  for (const warning of draft.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  if (destination.kind === 'json') return env.output.out(JSON.stringify(draft.postmortem, null, 2));
  if (destination.kind === 'stdout') return env.output.out(draft.markdown.trimEnd());
  if (env.globals.dryRun) {
    env.output.err(env.errTheme.dim('dry run: nothing written or recorded; use --file - to print it'));
    return;
  }
  const path = await savePostmortem({
    env: env.env,
    clock: env.clock,
    cwd: env.cwd,
    draft,
    file: destination.kind === 'file' ? destination.path : undefined,
    force: flags.force,
  });
  const todos = (draft.markdown.match(/TODO \(author\)/g) ?? []).length;
  env.output.err(path);
  if (draft.chart) env.output.err(join(dirname(path), draft.chart.file));
  env.output.err(
    env.errTheme.dim(`postmortem draft written; ${todos} TODO prompt${todos === 1 ? '' : 's'} left for the author`),
  );
}

export const registerPostmortemCommand: RegisterCommand = (program, ctx) => {
  program
    .command('postmortem')
    .description('write a blameless postmortem draft from the incident log')
    .option('--file <path>', 'write here instead of the incident folder ("-" prints it)')
    .option('--interactive', 'ask for the parts the log cannot know (root cause, lessons, …)')
    .option('--force', 'replace an existing postmortem file')
    .addHelpText(
      'after',
      `
Facts come from the log (times, metrics, timeline, actions, action items); what only people know
is left as a "> _TODO (author): …_" prompt. When triage flagged the golden signals, a chart of the
request rate, 5xx ratio and p99 over the incident (declaration, mitigations and resolution marked)
is written next to the file as NAME-signals.svg and linked from it. The path is printed on stderr; -o markdown prints the
Markdown and -o json the data behind it.

Examples:
  inc postmortem                          write <incident folder>/postmortem.md
  inc postmortem --file postmortem.md     write it here
  inc postmortem --file - | less          print it
  inc postmortem --interactive --incident INC-20260110-1400-checkout`,
    )
    .action((flags: PostmortemFlags, command: Command) => runPostmortem(ctx, flags, command));
};
