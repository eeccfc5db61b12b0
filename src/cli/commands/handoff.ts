import type { Command } from 'commander';
import { type CliContext, commandEnv } from '../context.js';
import type { RegisterCommand } from './index.js';

async function runHandoff(ctx: CliContext, command: Command): Promise<void> {
  const env = commandEnv(ctx, command);
  const { loadConfig } = await import('../../config.js');
  const { draftHandoff } = await import('../../report/write-handoff.js');
  const draft = await draftHandoff({ env: env.env, clock: env.clock, config: loadConfig(env.env) });
  for (const warning of draft.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  env.output.out(env.globals.output === 'json' ? JSON.stringify(draft.handoff, null, 2) : draft.markdown.trimEnd());
}

export const registerHandoffCommand: RegisterCommand = (program, ctx) => {
  program
    .command('handoff')
    .description('the on-call handoff note: open incidents, the last 7 days, things to watch')
    .addHelpText(
      'after',
      `
Reads every incident on this machine ($INC_HOME). Markdown on stdout; -o json prints the data.

Examples:
  inc handoff
  inc handoff > handoff.md
  inc handoff -o json | jq '.watch'`,
    )
    .action((_flags: unknown, command: Command) => runHandoff(ctx, command));
};
