import { IncError, UsageError } from '../../errors.js';
import type { AlertData } from '../../incident/event.js';
import type { Alert } from '../../triage/alerts/alert.js';
import type { AlertmanagerSettings } from '../../triage/alerts/alerts-settings.js';
import type { CommandEnv } from '../context.js';
import { readAlertsFor } from './read-alerts.js';

const MAX_LISTED = 10;

/**
 * The alert `--from-alert [NAME|FINGERPRINT]` names, among the firing ones: on a terminal a choice
 * (among all, or among those an ambiguous argument matches); without one the argument is required
 * and an ambiguous one is a usage error (exit 2) listing the candidates.
 */
export async function chooseAlert(
  env: CommandEnv,
  wanted: string | true,
  alertmanager: string | undefined,
): Promise<{ alert: AlertData; settings: AlertmanagerSettings }> {
  const { alerts, source, settings } = await readAlertsFor(env, alertmanager);
  const { describeAlert, pickAlert } = await import('../../triage/alerts/pick-alert.js');
  if (alerts.length === 0)
    throw new IncError(`no alerts firing in ${source.name}`, {
      code: 'NO_ALERT',
      hint: 'declare without --from-alert: inc start "TITLE"',
    });
  const list = (candidates: readonly Alert[]) =>
    candidates
      .slice(0, MAX_LISTED)
      .map((a) => `  ${describeAlert(a)}`)
      .join('\n') + (candidates.length > MAX_LISTED ? `\n  … (${candidates.length} in all)` : '');
  let candidates: readonly Alert[] = alerts;
  if (wanted !== true) {
    const pick = pickAlert(alerts, wanted);
    if (pick.kind === 'one') return { alert: alertData(pick.alert, source.name), settings };
    if (pick.kind === 'none')
      throw new UsageError(`no firing alert is named "${wanted}" or has that fingerprint`, {
        hint: `firing alerts:\n${list(alerts)}`,
      });
    candidates = pick.candidates;
    if (!env.interactive)
      throw new UsageError(`"${wanted}" matches ${candidates.length} firing alerts`, {
        code: 'AMBIGUOUS_ALERT',
        hint: `give the fingerprint of one:\n${list(candidates)}`,
      });
  } else if (!env.interactive) {
    throw new UsageError('--from-alert needs the alert name or fingerprint when there is no terminal to choose on', {
      hint: `firing alerts:\n${list(alerts)}`,
    });
  }
  const { InquirerPrompter } = await import('../../ui/inquirer-prompter.js');
  const chosen = await new InquirerPrompter({ signal: env.signal }).choose(
    'Which alert?',
    candidates.map((a) => ({ value: a, name: describeAlert(a) })),
  );
  return { alert: alertData(chosen, source.name), settings };
}

/** The alert as the incident records it. */
function alertData(alert: Alert, source: string): AlertData {
  return {
    name: alert.name,
    fingerprint: alert.fingerprint,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    source,
  };
}
