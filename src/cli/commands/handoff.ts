import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { type CliContext, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

function parseDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1) {
    throw new UsageError(`--days wants a whole number of days, not "${text}"`, { hint: 'e.g. --days 14' });
  }
  return days;
}

async function runHandoff(ctx: CliContext, flags: { days: number }, command: Command): Promise<void> {
  const env = commandEnv(ctx, command);
  const { loadConfig } = await import('../../config.js');
  const { draftHandoff } = await import('../../report/write-handoff.js');
  const draft = await draftHandoff({ env: env.env, clock: env.clock, config: loadConfig(env.env), days: flags.days });
  for (const warning of draft.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  env.output.out(env.globals.output === 'json' ? JSON.stringify(draft.handoff, null, 2) : draft.markdown.trimEnd());
}

export const registerHandoffCommand: RegisterCommand = (program, ctx) => {
  program
    .command('handoff')
    .description('the on-call handoff note: open incidents, the last 7 days, things to watch')
    .option('--days <n>', 'how many days back recent incidents go', parseDays, 7)
    .addHelpText(
      'after',
      `
Reads every incident on this machine ($INC_HOME). Markdown on stdout; -o json prints the data.

Examples:
  inc handoff
  inc handoff > handoff.md
  inc handoff --days 14
  inc handoff -o json | jq '.watch'`,
    )
    .action((flags: { days: number }, command: Command) => runHandoff(ctx, flags, command));
};
