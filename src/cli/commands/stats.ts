import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerStatsCommand: RegisterCommand = (program, ctx) => {
  program
    .command('stats')
    .description('on-call metrics over the incidents on this machine: MTTA, MTTM, MTTR by severity; incidents per week')
    .option('--since <time>', 'only incidents declared since a duration ago (30d) or a date (2026-01-01)')
    .addHelpText(
      'after',
      `
Examples:
  inc stats
  inc stats --since 90d
  inc stats -o json | jq .oncall             # pages per week, acknowledged within target of the alert, false positives, toil
  inc stats -o json | jq '.bySeverity[] | {severity, metrics}'

Each figure says what it counts from. The metrics table follows its legend (acknowledge: from the
first alert, else the declaration). The severity table's targets count from the declaration, and
so do the medians set beside them (DECLARED→ACK / TARGET). The pages' acknowledge target
(alertmanager.ackTargetMinutes) counts from the alert.`,
    )
    .action(async (flags: { since?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { loadConfig } = await import('../../config.js');
      const { incHome } = await import('../../incident/paths.js');
      const { listIncidents } = await import('../../incident/summaries.js');
      const { computeIncidentStats } = await import('../../incident/stats.js');
      const config = loadConfig(env.env);
      const since = flags.since
        ? (await import('../../incident/since.js')).sinceTime(flags.since, env.clock)
        : undefined;
      const { incidents, warnings } = await listIncidents(incHome(env.env), env.clock, config.severities);
      const stats = computeIncidentStats(
        incidents.map((i) => i.state),
        env.clock.now(),
        {
          severityOrder: config.severities.map((s) => s.name),
          since,
          ackTargetMinutes: config.alertmanager.ackTargetMinutes,
          severities: config.severities,
        },
      );
      const { printLogWarnings } = await import('./incident-output.js');
      printLogWarnings(env, warnings);
      if (env.globals.output === 'json') {
        env.output.out(JSON.stringify(stats, null, 2));
        return;
      }
      const { renderStats } = await import('../../incident/render-stats.js');
      env.output.out(renderStats(stats, env.theme).join('\n'));
    });
};
