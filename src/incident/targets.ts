import { addBusinessMinutes, type BusinessHours } from '../business-hours.js';
import type { SeverityRules } from '../severity-table.js';
import { addBusinessDays } from './business-days.js';
import { sentUpdates } from './delivery.js';
import type { IncidentEvent } from './event.js';
import { postmortemRule } from './postmortem-advice.js';
import { deadlineAcross, severitiesHeld, severityTimeline } from './severity-deadline.js';
import type { IncidentState, TargetName, TargetStatus, TimeBox } from './state-types.js';

type TargetInput = Pick<
  IncidentState,
  'times' | 'open' | 'updates' | 'postmortems' | 'events' | 'severity' | 'severityHistory'
>;

/** The incident's severities over time, from its log. */
/**
 * When work on the incident started: its earliest triage, status, update, mitigation or escalation;
 * a status recorded later with the time it happened (`inc mitigated --at 09:02`) counts at that time.
 */
export function respondedAt(events: readonly IncidentEvent[]): string | undefined {
  let earliest: string | undefined;
  for (const e of events) {
    const counts =
      e.type === 'triage' ||
      e.type === 'update' ||
      e.type === 'escalation' ||
      (e.type === 'action' && !e.data.dryRun) ||
      (e.type === 'status' && e.data.state !== 'acknowledged');
    if (!counts) continue;
    const at = (e.type === 'status' && e.data.at) || e.at;
    if (earliest === undefined || Date.parse(at) < Date.parse(earliest)) earliest = at;
  }
  return earliest;
}

function plus(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

function judge(
  target: TargetName,
  dueAt: string | undefined,
  metAt: string | undefined,
  now: Date,
  resolvedAt?: string,
): TargetStatus[] {
  if (!dueAt) return [];
  const due = Date.parse(dueAt);
  // Resolved before it fell due without it (a false positive closed in minutes): nothing was missed.
  if (!metAt && resolvedAt && Date.parse(resolvedAt) <= due) return [];
  const outcome = metAt ? (Date.parse(metAt) <= due ? 'met' : 'missed') : now.getTime() > due ? 'missed' : 'pending';
  return [{ target, dueAt, ...(metAt ? { metAt } : {}), outcome }];
}

/**
 * The targets with their deadlines and whether each was met, missed (late or not at all) or is still
 * pending. Each deadline follows the severity in force until the target was met or missed
 * (`deadlineAcross`): a later change does not judge it again. The postmortem's deadline counts
 * business days from the resolution, for the severity at the resolution.
 */
export function computeTargets(
  state: TargetInput,
  rulesOf: (severity: string) => SeverityRules | undefined,
  now: Date,
): TargetStatus[] {
  const { declaredAt, acknowledgedAt, resolvedAt } = state.times;
  const severities = severityTimeline(state);
  const deadline = (
    minutes: (rules: SeverityRules) => number | null | undefined,
    metAt: string | undefined,
    businessHours?: (rules: SeverityRules) => BusinessHours | null | undefined,
  ) =>
    deadlineAcross(
      declaredAt,
      (severity) => {
        const rules = rulesOf(severity);
        return rules ? minutes(rules) : undefined;
      },
      severities,
      metAt,
      undefined,
      (severity, fromMs, count) => {
        const rules = rulesOf(severity);
        const hours = rules && businessHours?.(rules);
        return hours ? addBusinessMinutes(fromMs, count, hours) : fromMs + count * 60_000;
      },
    );
  // An update the webhook refused informed nobody: the first one sent meets the target.
  const firstUpdateAt = sentUpdates(state.updates)[0]?.at;
  const responded = respondedAt(state.events);
  const targets = [
    ...judge(
      'acknowledge',
      deadline((r) => r.ackTargetMinutes, acknowledgedAt),
      acknowledgedAt,
      now,
      resolvedAt,
    ),
    ...judge(
      'respond',
      deadline(
        (r) => r.responseTargetMinutes,
        responded,
        (r) => r.responseBusinessHours,
      ),
      responded,
      now,
      resolvedAt,
    ),
    ...judge(
      'first-update',
      deadline((r) => r.firstUpdateMinutes, firstUpdateAt),
      firstUpdateAt,
      now,
      resolvedAt,
    ),
    ...judge(
      'resolve',
      deadline((r) => r.resolveTargetMinutes, resolvedAt),
      resolvedAt,
      now,
    ),
  ];
  // Said beside the deadline, so "due Monday 11:00" for a P3 declared on Saturday reads as meant.
  if (rulesOf(state.severity)?.responseBusinessHours)
    for (const target of targets) if (target.target === 'respond') target.businessHours = true;
  const postmortemDays = postmortemRule(state, heldRules(state, rulesOf))?.withinBusinessDays;
  if (postmortemDays && resolvedAt) {
    targets.push(...judge('postmortem', addBusinessDays(resolvedAt, postmortemDays), state.postmortems[0]?.at, now));
  }
  return targets;
}

/** The rules of each severity the incident held, most severe first as the table orders them. */
function heldRules(
  state: Pick<IncidentState, 'severity' | 'severityHistory'>,
  rulesOf: (severity: string) => SeverityRules | undefined,
): SeverityRules[] {
  return severitiesHeld(state)
    .map(rulesOf)
    .filter((rules): rules is SeverityRules => rules !== undefined);
}

/**
 * The time-box of the investigation: once it has run `minutes` since the declaration without a
 * mitigation, roll back if unsure; the rollback the last triage suggested is named.
 */
export function computeTimeBox(
  state: Pick<IncidentState, 'times' | 'open' | 'triages'>,
  minutes: number,
  now: Date,
): TimeBox {
  const endsAt = plus(state.times.declaredAt, minutes);
  const exceeded = state.open && !state.times.mitigatedAt && now.getTime() >= Date.parse(endsAt);
  const suggestions = state.triages.flatMap((t) => t.findings.flatMap((f) => (f.suggestion ? [f.suggestion] : [])));
  const rollback = suggestions.findLast((s) => s.playbook.includes('rollback'));
  return { minutes, endsAt, exceeded, ...(rollback ? { rollback } : {}) };
}
