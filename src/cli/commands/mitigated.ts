import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

export const registerMitigatedCommand: RegisterCommand = (program, ctx) => {
  program
    .command('mitigated')
    .description('record that the impact is mitigated (service restored, cause maybe not fixed)')
    .option('--at <time>', 'when it happened: 14:02, "10 minutes ago", ISO-8601 (default: now)')
    .option('-r, --reason <text>', 'a word on why')
    .addHelpText(
      'after',
      `
Examples:
  inc mitigated
  inc mitigated --at 14:07
  inc mitigated --at "5 minutes ago"`,
    )
    .action(async (flags: { at?: string; reason?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { markMitigated } = await import('../../incident/lifecycle.js');
      await recordTimed(env, 'inc mitigated', flags.at, (log, write, at) =>
        markMitigated(log, write, { at, reason: flags.reason }),
      );
    });
};
