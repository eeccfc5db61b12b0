import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerUseCommand: RegisterCommand = (program, ctx) => {
  program
    .command('use')
    .description('make another incident the current one (the one inc commands record into)')
    .argument('<id>', 'an incident id from inc list (a unique prefix is enough)')
    .addHelpText(
      'after',
      `
Examples:
  inc use INC-20260501-1402-checkout-errors
  inc use INC-20260501-1402`,
    )
    .action(async (id: string, _flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { incHome } = await import('../../incident/paths.js');
      const { readIncident, resolveIncidentId, writeCurrentId } = await import('../../incident/incidents.js');
      const { deriveIncidentState } = await import('../../incident/state.js');
      const home = incHome(env.env);
      const resolved = (await resolveIncidentId(home, id)) as string;
      const { events, warnings } = await readIncident(home, resolved);
      const { printLogWarnings } = await import('./incident-output.js');
      printLogWarnings(env, warnings);
      await writeCurrentId(home, resolved);
      const state = deriveIncidentState(events, env.clock, { id: resolved });
      if (env.globals.output === 'json') {
        env.output.out(
          JSON.stringify({ id: resolved, title: state.title, severity: state.severity, state: state.state }),
        );
        return;
      }
      env.output.out(`Now using ${env.theme.bold(resolved)}: ${state.title} (${state.severity}, ${state.state})`);
    });
};
