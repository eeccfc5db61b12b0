import type { Command } from 'commander';
import { alertmanagerOption } from '../alertmanager-option.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface AlertsFlags {
  all?: boolean;
  alertmanager?: string;
}

export const registerAlertsCommand: RegisterCommand = (program, ctx) => {
  program
    .command('alerts')
    .description('the alerts firing in Alertmanager (not silenced or inhibited), with the workload each points at')
    .option('--all', 'include silenced and inhibited alerts')
    .option(...alertmanagerOption('Alertmanager API'))
    .addHelpText(
      'after',
      `
Examples:
  inc alerts
  inc alerts -n payments --all
  inc alerts --alertmanager http://alertmanager.monitoring:9093 -o json | jq -r '.[].name'`,
    )
    .action(async (flags: AlertsFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      const { readAlertsFor } = await import('./read-alerts.js');
      const { alerts: all, source } = await readAlertsFor(env, flags.alertmanager, flags.all);
      const namespace = env.globals.namespace;
      const alerts = namespace ? all.filter((a) => a.labels.namespace === namespace) : all;
      const { alertRows } = await import('../../triage/alerts/alert-rows.js');
      const rows = alertRows(alerts, env.clock.now().getTime());
      if (env.globals.output === 'json') {
        env.output.out(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        const scope = namespace ? ` in namespace ${namespace}` : '';
        env.output.err(`no alerts${flags.all ? '' : ' firing'}${scope} (${source.name})`);
        return;
      }
      const { formatColumns } = await import('../../incident/render.js');
      const header = ['NAME', 'SEVERITY', 'AGE', 'WORKLOAD', ...(flags.all ? ['STATE'] : []), 'SUMMARY'];
      const table = [
        header,
        ...rows.map((row) => [
          row.name,
          row.severity ?? '-',
          row.age,
          row.target,
          ...(flags.all ? [row.state] : []),
          row.summary ?? '',
        ]),
      ];
      const lines = formatColumns(table, (r, c, cell) => {
        if (r === 0) return env.theme.bold(cell);
        if (c === 1 && (cell === 'critical' || cell === 'page')) return env.theme.severity('critical', cell);
        if (c === 1 && cell === 'warning') return env.theme.severity('warning', cell);
        return cell;
      });
      env.output.out(lines.join('\n'));
    });
};
