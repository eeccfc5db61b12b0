import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { type CliContext, commandEnv } from '../context.js';
import { rejectUnknownSubcommand } from '../unknown-subcommand.js';
import type { RegisterCommand } from './register-command.js';

function parseDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1) {
    throw new UsageError(`--days wants a whole number of days, not "${text}"`, { hint: 'e.g. --days 14' });
  }
  return days;
}

async function runHandoff(ctx: CliContext, flags: { days: number }, command: Command): Promise<void> {
  rejectUnknownSubcommand(command);
  const env = commandEnv(ctx, command);
  const { loadConfig } = await import('../../config.js');
  const { draftHandoff } = await import('../../report/write-handoff.js');
  const draft = await draftHandoff({ env: env.env, clock: env.clock, config: loadConfig(env.env), days: flags.days });
  for (const warning of draft.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  env.output.out(env.globals.output === 'json' ? JSON.stringify(draft.handoff, null, 2) : draft.markdown.trimEnd());
}

function parseNumbers(words: readonly string[]): number[] {
  return words.map((word) => {
    const number = Number(word);
    if (!Number.isInteger(number) || number < 1) {
      throw new UsageError(`"${word}" is not an item number`, { hint: 'inc handoff list shows them, numbered' });
    }
    return number;
  });
}

function registerNoteSubcommands(handoff: Command, ctx: CliContext): void {
  handoff
    .command('add')
    .description('add an item for the next person on call: something to watch, a risk, maintenance')
    .argument('<text...>', 'the item')
    .action(async (words: string[], _flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { addHandoffNote } = await import('../../incident/handoff-notes.js');
      const note = await addHandoffNote(env.env, env.clock, words.join(' '));
      env.output.out(env.globals.output === 'json' ? JSON.stringify(note) : `handoff item added: ${note.text}`);
    });
  handoff
    .command('list')
    .description('the handoff items not cleared yet, numbered')
    .action(async (_flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { readHandoffNotes } = await import('../../incident/handoff-notes.js');
      const notes = await readHandoffNotes(env.env);
      if (env.globals.output === 'json') env.output.out(JSON.stringify(notes, null, 2));
      else if (notes.length === 0) env.output.err('no handoff items (inc handoff add "…")');
      else
        env.output.out(
          notes
            .map((note, i) => `${i + 1}. ${note.text}  (${note.actor}, ${note.at.slice(0, 16).replace('T', ' ')} UTC)`)
            .join('\n'),
        );
    });
  handoff
    .command('clear')
    .description('clear handoff items by number (inc handoff list), or all with --all')
    .argument('[number...]', 'the items to clear')
    .option('--all', 'clear every item')
    .action(async (words: string[], flags: { all?: boolean }, command: Command) => {
      const env = commandEnv(ctx, command);
      if (!flags.all && words.length === 0) {
        throw new UsageError('say which items to clear', { hint: 'inc handoff clear 2, or inc handoff clear --all' });
      }
      const { clearHandoffNotes } = await import('../../incident/handoff-notes.js');
      const cleared = await clearHandoffNotes(
        env.env,
        env.clock,
        flags.all ? { all: true } : { numbers: parseNumbers(words) },
      );
      if (cleared.length === 0) env.output.err('no handoff items to clear');
      if (env.globals.output === 'json') env.output.out(JSON.stringify(cleared, null, 2));
      else for (const note of cleared) env.output.out(`cleared: ${note.text}`);
    });
}

export const registerHandoffCommand: RegisterCommand = (program, ctx) => {
  const handoff = program
    .command('handoff')
    .description('the on-call handoff note: open incidents, the last 7 days, handoff items, things to watch, contacts')
    .option('--days <n>', 'how many days back recent incidents go', parseDays, 7)
    .addHelpText(
      'after',
      `
Reads every incident on this machine ($INC_HOME), the items added with inc handoff add (listed until
cleared) and the contacts of the config. A required postmortem that is missing stays listed until it is
written, whatever its age. Markdown on stdout; -o json prints the data.

Examples:
  inc handoff
  inc handoff add "payments-db failover drill Thursday 10:00 UTC"
  inc handoff list
  inc handoff clear 1
  inc handoff > handoff.md
  inc handoff --days 14
  inc handoff -o json | jq '.watch'`,
    )
    // A stray word is a mistyped sub-command (`inc handoff ad`), said as such rather than "too many arguments".
    .allowExcessArguments(true)
    .action((flags: { days: number }, command: Command) => runHandoff(ctx, flags, command));
  registerNoteSubcommands(handoff, ctx);
};
