import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

export const registerAckCommand: RegisterCommand = (program, ctx) => {
  program
    .command('ack')
    .description('record that you acknowledged the incident (the page)')
    .option('--at <time>', 'when it happened: 14:02, "10 minutes ago", ISO-8601 (default: now)')
    .option('-r, --reason <text>', 'a word on why')
    .addHelpText(
      'after',
      `
Examples:
  inc ack
  inc ack --at 14:07
  inc ack --at "5 minutes ago"`,
    )
    .action(async (flags: { at?: string; reason?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { acknowledgeIncident } = await import('../../incident/lifecycle.js');
      await recordTimed(env, 'inc ack', flags.at, (log, write, at) =>
        acknowledgeIncident(log, write, { at, reason: flags.reason }),
      );
    });
};
