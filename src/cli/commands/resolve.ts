import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

export const registerResolveCommand: RegisterCommand = (program, ctx) => {
  program
    .command('resolve')
    .description('resolve the incident: the impact is over')
    .option('--summary <text>', 'what happened and how it ended, in a sentence')
    .option('--at <time>', 'when the impact ended: 14:40, "10 minutes ago", ISO-8601 (default: now)')
    .addHelpText(
      'after',
      `
Examples:
  inc resolve --summary "rolled back api to v247; error rate back to baseline"
  inc resolve --at 14:52
Then: inc postmortem -o postmortem.md`,
    )
    .action(async (flags: { summary?: string; at?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { resolveIncident } = await import('../../incident/lifecycle.js');
      const outcome = await recordTimed(env, 'inc resolve', flags.at, (log, write, at) =>
        resolveIncident(log, write, { at, summary: flags.summary }),
      );
      if (outcome.kind === 'recorded' && env.globals.output !== 'json') {
        const { formatDuration } = await import('../../duration.js');
        const ttr = outcome.state.metrics.find((m) => m.key === 'timeToResolve')?.ms;
        if (typeof ttr === 'number')
          env.output.out(`time to resolve (impact started → resolved): ${formatDuration(ttr)}`);
        env.output.out(`Next: ${env.theme.cmd('inc postmortem -o postmortem.md')}`);
      }
      const { incHome } = await import('../../incident/paths.js');
      if (outcome.state.id && !outcome.state.open) {
        const { retireCurrentId } = await import('../../incident/incidents.js');
        await retireCurrentId(incHome(env.env), outcome.state.id);
      }
      if (outcome.kind === 'recorded') {
        // A game day started with `inc demo --practice`: judge it now that the incident is over.
        const { reportPractice } = await import('../demo/practice.js');
        await reportPractice(env, incHome(env.env), outcome.state.times.mitigatedAt, env.output);
      }
    });
};
