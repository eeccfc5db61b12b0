import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

/** `inc impact --started TIME`: dates the start of the impact once the incident is declared. */
export const registerImpactCommand: RegisterCommand = (program, ctx) => {
  program
    .command('impact')
    .description('record when the impact started, when it was earlier than the declaration')
    .requiredOption('--started <time>', 'when users were first affected: 14:02, "25 minutes ago", ISO-8601')
    .option('-r, --reason <text>', 'how it is known, e.g. "first 5xx on the dashboard"')
    .addHelpText(
      'after',
      `
The time to declare, mitigate and resolve, the elapsed time, the updates and the postmortem count
from it. Triage says when a failure it finds began before the declaration.

Examples:
  inc impact --started 01:30
  inc impact --started "25 minutes ago" --reason "first 5xx in the checkout dashboard"`,
    )
    .action(async (flags: { started: string; reason?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { dateImpactStart } = await import('../../incident/lifecycle.js');
      await recordTimed(
        env,
        'inc impact',
        flags.started,
        (log, write, at) => dateImpactStart(log, write, { at: at as Date, reason: flags.reason }),
        '--started',
      );
    });
};
