import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './index.js';

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
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { markMitigated } = await import('../../incident/lifecycle.js');
      // Time parsing (chrono) loads only when a time is given, so the plain command stays quick.
      const at = flags.at
        ? (await import('../../time-input.js')).parseTimeInput(flags.at, env.clock, { what: '--at' })
        : undefined;
      const { log, ctx: write } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc mitigated',
        write: true,
      });
      const outcome = await markMitigated(log, write, { at, reason: flags.reason });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
    });
};
