import { IncError, UsageError } from '../../errors.js';
import type { IncidentState } from '../../incident/state-types.js';
import type { CommandEnv } from '../context.js';

async function incidentToResolve(env: CommandEnv): Promise<IncidentState> {
  const { openForCommand } = await import('../../incident/open-for-command.js');
  const { log, ctx } = await openForCommand({
    env: env.env,
    clock: env.clock,
    incident: env.globals.incident,
    what: 'inc resolve',
    write: false,
  });
  const { stateOf } = await import('../../incident/log.js');
  return stateOf(log, ctx);
}

/**
 * Silences the incident created and nobody lifted keep hiding the alert after resolve: the next
 * page of the same problem would not come. Say so while the incident is still open to undo them.
 */
async function warnOpenSilences(env: CommandEnv, state: IncidentState): Promise<void> {
  if (!state.open) return;
  const { openSilences } = await import('../../incident/open-silences.js');
  const open = openSilences(state, env.clock.now());
  if (open.length === 0) return;
  env.output.err(
    env.errTheme.warn(`warning: ${open.length} silence(s) created during this incident still hide alerts:`),
  );
  for (const s of open)
    env.output.err(`  silence ${s.id} (${s.matchers}) until ${s.endsAt}; lift it: inc undo ${s.actionId}`);
  env.output.err(env.errTheme.dim('a new page of the same alert stays silent until then'));
}

/**
 * Before a resolve: open silences are named, then the alerts linked to the incident that are still firing (silenced ones too).
 * On a terminal, asks whether to resolve anyway; without one, `--force` is needed (exit 2).
 * An Alertmanager that does not answer is a warning: resolving must not depend on monitoring.
 */
export async function checkLinkedAlerts(
  env: CommandEnv,
  flags: { force?: boolean; alertmanager?: string },
): Promise<void> {
  const state = await incidentToResolve(env);
  await warnOpenSilences(env, state);
  if (state.alerts.length === 0 || !state.open) return;
  const { readAlertsFor } = await import('./read-alerts.js');
  let firing: Awaited<ReturnType<typeof readAlertsFor>>['alerts'];
  try {
    firing = (await readAlertsFor(env, flags.alertmanager, true)).alerts;
  } catch (error) {
    // A bad --alertmanager is the user's to fix now; no Alertmanager at all only leaves the alerts unchecked.
    if (!(error instanceof IncError) || (error instanceof UsageError && error.code !== 'NO_ALERTMANAGER')) throw error;
    env.output.err(env.errTheme.warn(`could not check the linked alerts: ${error.message}`));
    return;
  }
  const { stillFiring } = await import('../../triage/alerts/still-firing.js');
  const still = stillFiring(state.alerts, firing);
  const names = [...new Set(state.alerts.map((a) => a.name))].join(', ');
  if (still.length === 0) {
    env.output.err(`linked alerts: none still firing (${names})`);
    return;
  }
  const { describeAlert } = await import('../../triage/alerts/pick-alert.js');
  env.output.err(env.errTheme.warn(`still firing (${still.length} of the linked alerts):`));
  for (const alert of still) env.output.err(`  ${describeAlert(alert)}`);
  if (flags.force) return;
  if (!env.interactive)
    throw new UsageError('linked alerts are still firing, and there is no terminal to confirm on', {
      code: 'ALERTS_FIRING',
      hint: 'wait until they resolve, or resolve anyway with --force',
    });
  const { InquirerPrompter } = await import('../../ui/inquirer-prompter.js');
  const resolve = await new InquirerPrompter({ signal: env.signal }).confirm('Resolve anyway?', false);
  if (!resolve) throw new IncError('not resolved: linked alerts are still firing', { code: 'NOT_RESOLVED' });
}
