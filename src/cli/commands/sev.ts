import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerSevCommand: RegisterCommand = (program, ctx) => {
  program
    .command('sev')
    .description('change the severity of the incident')
    .argument('<severity>', 'SEV1..SEV4 (or P1..P4, or the names in the config file)')
    .option('-r, --reason <text>', 'why the severity changes')
    .addHelpText(
      'after',
      `
Examples:
  inc sev SEV1 --reason "payments down in every region"
  inc sev P3 -r "mitigated; latency back to normal"`,
    )
    .action(async (severity: string, flags: { reason?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { changeSeverity } = await import('../../incident/annotate.js');
      const { resolveSeverity } = await import('../../config.js');
      const {
        log,
        ctx: write,
        config,
      } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc sev',
        write: true,
      });
      const to = resolveSeverity(config, severity).name;
      const outcome = await changeSeverity(log, write, { to, reason: flags.reason });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
    });
};
