import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerRoleCommand: RegisterCommand = (program, ctx) => {
  program
    .command('role')
    .description('assign an incident role; a change records who handed over to whom')
    .argument('<role>', 'commander (ic), deputy, comms, scribe or sme (subject-matter expert)')
    .argument('<name...>', 'who takes the role')
    .addHelpText(
      'after',
      `
Examples:
  inc role commander alice
  inc role ic bob                  # alice hands over to bob
  inc role comms "Carol Diaz"`,
    )
    .action(async (roleText: string, nameWords: string[], _flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { assignRole, parseRole } = await import('../../incident/annotate.js');
      const role = parseRole(roleText);
      const { log, ctx: write } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc role',
        write: true,
      });
      const outcome = await assignRole(log, write, { role, name: nameWords.join(' ') });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
    });
};
