import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerListCommand: RegisterCommand = (program, ctx) => {
  program
    .command('list')
    .alias('ls')
    .description('incidents on this machine, newest first; * marks the current one')
    .option('--open', 'only incidents that are not resolved')
    .addHelpText(
      'after',
      `
Examples:
  inc list
  inc list --open
  inc list -o json | jq -r '.[] | select(.open) | .id'`,
    )
    .action(async (flags: { open?: boolean }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { loadConfig } = await import('../../config.js');
      const { incHome } = await import('../../incident/paths.js');
      const { listIncidents } = await import('../../incident/summaries.js');
      const config = loadConfig(env.env);
      const listed = await listIncidents(incHome(env.env), env.clock, config.severities);
      const { warnings } = listed;
      const incidents = flags.open ? listed.incidents.filter((i) => i.state.open) : listed.incidents;
      const { printLogWarnings } = await import('./incident-output.js');
      printLogWarnings(env, warnings);
      if (env.globals.output === 'json') {
        env.output.out(
          JSON.stringify(
            incidents.map(({ id, current, state }) => ({
              id,
              current,
              open: state.open,
              title: state.title,
              severity: state.severity,
              state: state.state,
              commander: state.commander ?? null,
              declaredBy: state.declaredBy ?? null,
              practice: state.practice,
              impactStartedAt: state.times.impactStartedAt,
              declaredAt: state.times.declaredAt,
              resolvedAt: state.times.resolvedAt ?? null,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (incidents.length === 0) {
        const what = flags.open && listed.incidents.length ? 'no open incidents' : 'no incidents on this machine yet';
        env.output.err(`${what}; declare one with: ${env.errTheme.cmd('inc start "TITLE"')}`);
        return;
      }
      const { formatColumns } = await import('../../incident/render.js');
      const { formatLocalTime } = await import('../../incident/describe.js');
      const rows = [
        ['', 'ID', 'SEVERITY', 'STATE', 'DECLARED', 'BY', 'TITLE'],
        ...incidents.map(({ id, current, state }) => [
          current ? '*' : '',
          id,
          state.severity,
          state.open ? `open: ${state.state}` : 'resolved',
          formatLocalTime(state.times.declaredAt, { date: true, seconds: false }),
          // After a sync, teammates' incidents are listed too: who declared each tells them apart.
          state.declaredBy ?? '',
          // A game day's incident is not a real one: stats and the handoff leave it out, and so should a reader.
          state.practice ? `(practice) ${state.title}` : state.title,
        ]),
      ];
      const lines = formatColumns(rows, (row, col, cell) => {
        if (row === 0) return env.theme.bold(cell);
        const incident = incidents[row - 1];
        if (col === 3 && incident?.state.open) return env.theme.warn(cell);
        return col === 3 ? env.theme.dim(cell) : cell;
      });
      env.output.out(lines.join('\n'));
    });
};
