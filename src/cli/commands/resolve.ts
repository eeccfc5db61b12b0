import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { WriteContext } from '../../incident/log.js';
import type { PostmortemAdvice } from '../../incident/postmortem-advice.js';
import { InquirerPrompter } from '../../ui/inquirer-prompter.js';
import { alertmanagerOption } from '../alertmanager-option.js';
import { type CommandEnv, commandEnv } from '../context.js';
import { recordTimed } from './record-timed.js';
import type { RegisterCommand } from './register-command.js';

interface ResolveFlags {
  summary?: string;
  at?: string;
  falsePositive?: boolean;
  force?: boolean;
  alertmanager?: string;
}

export const registerResolveCommand: RegisterCommand = (program, ctx) => {
  program
    .command('resolve')
    .description('resolve the incident: the impact is over')
    .option('--summary <text>', 'what happened and how it ended, in a sentence')
    .option('--at <time>', 'when the impact ended: 14:40, "10 minutes ago", ISO-8601 (default: now)')
    .option('--false-positive', 'paged, but nothing needed doing (counted in inc stats)')
    .option(
      '--force',
      'resolve even while a figure triage flagged (5xx ratio, p99 latency, request rate) is still off its baseline, or alerts linked to the incident still fire',
    )
    .option(...alertmanagerOption('Alertmanager to check the linked alerts in'))
    .addHelpText(
      'after',
      `
When triage flagged a workload's 5xx ratio, p99 latency or a drop of its traffic during the
incident, resolve measures it again first (Prometheus, one found in the cluster, or the pods
scraped; since the last mitigation, against the hour before the impact started). While it is still
off its baseline, resolve warns and asks on a terminal; without one it refuses (exit 2) unless
--force is given. The same holds for alerts linked to the incident (inc start --from-alert,
inc note --from-alert) that Alertmanager says still fire.

Examples:
  inc resolve --summary "rolled back api to v247; error rate back to baseline"
  inc resolve --at 14:52
  inc resolve --force --summary "errors are expected until the partner fixes their side"
  inc resolve --false-positive --summary "disk alert on a node being drained"
  inc resolve --force                         # a linked alert still fires (it resolves on its own soon)

Then: inc postmortem -o postmortem.md, when the severity requires one (SEV1 and SEV2 by default,
within 5 business days of the resolution: postmortemWithinBusinessDays in the severity table);
resolve names its due date. For the other severities it is optional, and resolve says so.

When an escalation paged PagerDuty (Events API v2, see inc escalate --help), resolve sends the
resolve event of its alert; if PagerDuty does not take it, resolve exits 1 and running it again
(inc resolve --incident ID) sends it again.`,
    )
    .action(async (flags: ResolveFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      await checkImpactOver(env, flags.force === true);
      const { checkLinkedAlerts } = await import('./resolve-alerts.js');
      await checkLinkedAlerts(env, flags);
      const { resolveIncident } = await import('../../incident/lifecycle.js');
      let severities: WriteContext['severities'];
      const outcome = await recordTimed(env, 'inc resolve', flags.at, (log, write, at) => {
        severities = write.severities;
        return resolveIncident(log, write, { at, summary: flags.summary, falsePositive: flags.falsePositive });
      });
      if (outcome.kind === 'recorded' && env.globals.output !== 'json') {
        const { formatDuration } = await import('../../duration.js');
        const ttr = outcome.state.metrics.find((m) => m.key === 'timeToResolve')?.ms;
        if (typeof ttr === 'number')
          env.output.out(`time to resolve (impact started → resolved): ${formatDuration(ttr)}`);
        const { advisePostmortem } = await import('../../incident/postmortem-advice.js');
        env.output.out(await renderPostmortemAdvice(advisePostmortem(outcome.state, severities), env));
      }
      const { incHome } = await import('../../incident/paths.js');
      if (outcome.state.id && !outcome.state.open) {
        const { retireCurrentId } = await import('../../incident/incidents.js');
        await retireCurrentId(incHome(env.env), outcome.state.id);
      }
      // The pager stops too: also when the incident was resolved before, so running resolve again resends it.
      const { resolvePagerDutyAlert } = await import('./resolve-page.js');
      await resolvePagerDutyAlert(env, outcome.state);
      if (outcome.kind === 'recorded') {
        // A game day started with `inc demo --practice`: judge it now that the incident is over.
        const { reportPractice } = await import('../practice.js');
        await reportPractice(env, incHome(env.env), outcome.state, env.output);
      }
    });
};

/** The postmortem as the severity table has it: the next step with its due date, or the team's call. */
async function renderPostmortemAdvice(advice: PostmortemAdvice, env: CommandEnv): Promise<string> {
  const command = env.theme.cmd('inc postmortem -o postmortem.md');
  if (advice.kind === 'required') {
    const { formatLocalTime } = await import('../../incident/describe.js');
    const due = advice.dueAt ? `due ${formatLocalTime(advice.dueAt, { date: true, seconds: false })}, ` : '';
    const days = `${advice.withinBusinessDays} business day${advice.withinBusinessDays === 1 ? '' : 's'}`;
    const why =
      advice.requiredBy === advice.severity
        ? `required for ${advice.severity}:`
        : `required: the incident was ${advice.requiredBy}, now ${advice.severity};`;
    return `Next: ${command} (${why} ${due}within ${days} of the resolution)`;
  }
  const others = advice.requiredFor.length
    ? `required for ${advice.requiredFor.join(', ')}`
    : 'no severity requires one';
  return `A postmortem is optional for ${advice.severity} (${others}); to write one anyway: ${command}`;
}

/**
 * Resolving is the claim that users are fine again: measured, not assumed. While a figure triage
 * flagged is still off its baseline, say so and ask (refuse without a terminal) unless --force.
 */
async function checkImpactOver(env: CommandEnv, force: boolean): Promise<void> {
  const { measureBeforeResolve } = await import('./resolve-check.js');
  const measured = await measureBeforeResolve(env);
  if (!measured) return;
  if (measured.kind === 'unmeasured') {
    env.output.err(env.errTheme.dim(`signals not measured before resolving: ${measured.reason}`));
    return;
  }
  if (measured.kind === 'recovered') {
    for (const line of measured.lines) env.output.err(env.errTheme.dim(line));
    return;
  }
  for (const line of measured.lines) env.output.err(env.errTheme.warn(`warning: ${line}`));
  if (force) return env.output.err(env.errTheme.dim('resolving anyway (--force)'));
  const hint = 'mitigate first (inc triage shows what to run), or resolve anyway: inc resolve --force';
  const refusal = `not resolved: ${measured.what.join('; ')}`;
  if (!env.interactive) throw new UsageError(refusal, { hint });
  const prompter = new InquirerPrompter({ signal: env.signal });
  if (!(await prompter.confirm('Users are still affected. Resolve anyway?', false)))
    throw new UsageError(refusal, { hint });
}
