import type { SeverityRules } from '../severity-table.js';
import { addBusinessDays } from './business-days.js';
import type { IncidentEvent } from './event.js';
import type { IncidentState, TargetName, TargetStatus, TimeBox } from './state-types.js';

type TargetInput = Pick<IncidentState, 'times' | 'open' | 'updates' | 'postmortems' | 'events'>;

/** When work on the incident started: its first triage, status, update, mitigation or escalation. */
export function respondedAt(events: readonly IncidentEvent[]): string | undefined {
  const first = events.find(
    (e) =>
      e.type === 'triage' ||
      e.type === 'update' ||
      e.type === 'escalation' ||
      (e.type === 'action' && !e.data.dryRun) ||
      (e.type === 'status' && e.data.state !== 'acknowledged'),
  );
  return first?.at;
}

function plus(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

function judge(target: TargetName, dueAt: string, metAt: string | undefined, now: Date): TargetStatus {
  const due = Date.parse(dueAt);
  const outcome = metAt ? (Date.parse(metAt) <= due ? 'met' : 'missed') : now.getTime() > due ? 'missed' : 'pending';
  return { target, dueAt, ...(metAt ? { metAt } : {}), outcome };
}

/**
 * The severity's targets with their deadlines and whether each was met, missed (late or not at
 * all) or is still pending. The postmortem's deadline counts business days from the resolution.
 */
export function computeTargets(state: TargetInput, rules: SeverityRules | undefined, now: Date): TargetStatus[] {
  if (!rules) return [];
  const { declaredAt, acknowledgedAt, resolvedAt } = state.times;
  const targets: TargetStatus[] = [];
  const add = (name: TargetName, minutes: number | null | undefined, metAt: string | undefined) => {
    if (minutes) targets.push(judge(name, plus(declaredAt, minutes), metAt, now));
  };
  add('acknowledge', rules.ackTargetMinutes, acknowledgedAt);
  add('respond', rules.responseTargetMinutes, respondedAt(state.events));
  add('first-update', rules.firstUpdateMinutes, state.updates[0]?.at);
  add('resolve', rules.resolveTargetMinutes, resolvedAt);
  if (rules.postmortemWithinBusinessDays && resolvedAt) {
    const dueAt = addBusinessDays(resolvedAt, rules.postmortemWithinBusinessDays);
    targets.push(judge('postmortem', dueAt, state.postmortems[0]?.at, now));
  }
  return targets;
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
