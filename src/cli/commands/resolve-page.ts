import { IncError } from '../../errors.js';
import type { IncidentState } from '../../incident/state.js';
import type { CommandEnv } from '../context.js';

/**
 * After `inc resolve`: when an escalation paged PagerDuty (Events API v2), sends the `resolve` event
 * of its alert (dedup_key: the incident id), so the pager stops. A failure fails the command (the
 * resolution stays recorded) and says how to send it again.
 */
export async function resolvePagerDutyAlert(env: CommandEnv, state: IncidentState): Promise<void> {
  const paged = state.escalations.some((entry) => entry.page?.to === 'pagerduty' && entry.page.ok);
  const webhook = env.env.INC_PAGE_WEBHOOK;
  if (!paged || state.open || !state.id || env.globals.dryRun) return;
  const { PAGERDUTY_KEY_ENV, pageFormatOf, pagerDutyResolve, sendPagerDutyEvent } = await import(
    '../../report/pagerduty-events.js'
  );
  const again = `inc resolve --incident ${state.id}`;
  const key = env.env[PAGERDUTY_KEY_ENV]?.trim();
  if (!webhook || pageFormatOf(webhook, env.env) !== 'pagerduty' || !key) {
    throw new IncError(`${state.id} paged PagerDuty, and its alert was not resolved there`, {
      code: 'PAGE_NOT_RESOLVED',
      hint: `set INC_PAGE_WEBHOOK to PagerDuty's Events API v2 URL and ${PAGERDUTY_KEY_ENV}, then run ${again} again, or resolve the alert in PagerDuty; the incident is resolved in inc`,
    });
  }
  const notDone = `the incident is resolved in inc, but its PagerDuty alert may still be open: run ${again} again, or resolve it in PagerDuty`;
  await sendPagerDutyEvent(webhook, pagerDutyResolve(state.id, key), notDone, {
    signal: env.signal,
    clock: env.clock,
    onRetry: (message) => env.output.err(env.errTheme.warn(message)),
  });
  env.output.err(env.errTheme.ok(`resolved the PagerDuty alert (dedup_key ${state.id})`));
}
