import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

/** The status marks that take only a time and a reason: `inc ack` and `inc mitigated`. */
const MARKS = {
  ack: 'acknowledgeIncident',
  mitigated: 'markMitigated',
} as const;

/** Registers `inc ack` or `inc mitigated`: one status event, at `--at` or now, with an optional reason. */
export function statusMarkCommand(name: keyof typeof MARKS, description: string): RegisterCommand {
  return (program, ctx) => {
    program
      .command(name)
      .description(description)
      .option('--at <time>', 'when it happened: 14:02, "10 minutes ago", ISO-8601 (default: now)')
      .option('-r, --reason <text>', 'a word on why')
      .addHelpText(
        'after',
        `
Examples:
  inc ${name}
  inc ${name} --at 14:07
  inc ${name} --at "5 minutes ago"`,
      )
      .action(async (flags: { at?: string; reason?: string }, command: Command) => {
        const env = commandEnv(ctx, command);
        const mark = (await import('../../incident/lifecycle.js'))[MARKS[name]];
        await recordTimed(env, `inc ${name}`, flags.at, (log, write, at) =>
          mark(log, write, { at, reason: flags.reason }),
        );
      });
  };
}
