import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './index.js';

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
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { resolveIncident } = await import('../../incident/lifecycle.js');
      // Time parsing (chrono) loads only when a time is given, so the plain command stays quick.
      const at = flags.at
        ? (await import('../../time-input.js')).parseTimeInput(flags.at, env.clock, { what: '--at' })
        : undefined;
      const { log, ctx: write } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc resolve',
        write: true,
      });
      const outcome = await resolveIncident(log, write, { at, summary: flags.summary });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
      if (outcome.kind === 'recorded' && env.globals.output !== 'json') {
        const { formatDuration } = await import('../../duration.js');
        const ttr = outcome.state.metrics.find((m) => m.key === 'timeToResolve')?.ms;
        if (typeof ttr === 'number')
          env.output.out(`time to resolve (impact started → resolved): ${formatDuration(ttr)}`);
        env.output.out(`Next: ${env.theme.cmd('inc postmortem -o postmortem.md')}`);
      }
      if (outcome.kind === 'recorded') {
        // A game day started with `inc demo --practice`: judge it now that the incident is over.
        const { reportPractice } = await import('../demo/practice.js');
        const { incHome } = await import('../../incident/paths.js');
        await reportPractice(env, incHome(env.env), outcome.state.times.mitigatedAt, env.output);
      }
    });
};
