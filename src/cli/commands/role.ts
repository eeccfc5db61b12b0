import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerRoleCommand: RegisterCommand = (program, ctx) => {
  program
    .command('role')
    .description('assign or hand over an incident role (recorded); without arguments, list who holds which role')
    .argument(
      '[role]',
      'one of the configured roles: commander (ic), tech-lead, operations-lead, investigator, comms, scribe, deputy, sme',
    )
    .argument('[name...]', 'who takes the role')
    .addHelpText(
      'after',
      `
A change records who handed over to whom; inc status shows the roles. The set of roles is "roles" in the
config. "lead" is refused as ambiguous: say commander, tech-lead or operations-lead.

Examples:
  inc role                         # the roles, who holds each, and the handovers so far
  inc role commander alice
  inc role ic bob                  # alice hands over to bob
  inc role tech-lead carol
  inc role comms "Carol Diaz"`,
    )
    .action(async (roleText: string | undefined, nameWords: string[], _flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openIncidentFor, printLogWarnings, printOutcome } = await import('./incident-output.js');
      const { parseRole } = await import('../../incident/roles.js');
      const { UsageError } = await import('../../errors.js');
      const { log, ctx: write, config } = await openIncidentFor(env, 'inc role', roleText !== undefined);
      printLogWarnings(env, log.warnings);
      if (roleText === undefined) {
        const { renderRoles } = await import('../../incident/render-roles.js');
        const { stateOf } = await import('../../incident/log.js');
        const state = stateOf(log, write);
        if (env.globals.output === 'json') {
          const { describeRoles } = await import('../../incident/roles.js');
          env.output.out(
            JSON.stringify(
              { id: log.id, roles: describeRoles(state.roles, config.roles), handovers: state.roleHistory },
              null,
              2,
            ),
          );
        } else env.output.out(renderRoles(state, config.roles).join('\n'));
        return;
      }
      const role = parseRole(roleText, config.roles);
      if (nameWords.length === 0)
        throw new UsageError(`who takes the role ${role}?`, { hint: `inc role ${role} NAME` });
      const { assignRole } = await import('../../incident/annotate.js');
      const outcome = await assignRole(log, write, { role, name: nameWords.join(' ') });
      printOutcome(env, log.id, outcome);
    });
};
