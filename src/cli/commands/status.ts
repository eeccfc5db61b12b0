import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerStatusCommand: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description('the current incident at a glance: severity, state, commander, elapsed, metrics, next update due')
    .addHelpText(
      'after',
      `
Examples:
  inc status
  inc status --incident INC-20260501-1402-checkout-errors
  inc status -o json | jq .metrics`,
    )
    .action(async (_flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { stateOf } = await import('../../incident/log.js');
      const {
        log,
        ctx: read,
        config,
      } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc status',
        write: false,
      });
      const { printLogWarnings } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      const state = stateOf(log, read);
      const { readSyncLine } = await import('./sync-status-line.js');
      const sync = await readSyncLine(env, log, config.sync);
      if (env.globals.output === 'json') {
        // The whole log is `inc log --json`; status shows the last few events.
        const { events: _all, ...summary } = state;
        const json = { ...summary, lastEvents: log.events.slice(-5), ...(sync && { sync: sync.status }) };
        env.output.out(JSON.stringify(json, null, 2));
        return;
      }
      const { renderStatus } = await import('../../incident/render.js');
      const description = config.severities.find((s) => s.name === state.severity)?.description;
      // The log of the incident shown: the one named with --incident, when it was.
      const logCommand = env.globals.incident && state.id ? `inc log --incident ${state.id}` : 'inc log';
      const lines = renderStatus(state, log.events, env.clock.now(), description, env.theme, { logCommand });
      env.output.out([...lines, ...(sync ? [sync.line] : [])].join('\n'));
    });
};
