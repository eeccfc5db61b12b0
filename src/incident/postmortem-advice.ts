import { DEFAULT_SEVERITIES, type SeverityRules } from '../severity-table.js';
import { severitiesHeld } from './severity-deadline.js';
import type { IncidentState } from './state-types.js';

/** What the severity table asks of an incident once it is over: a postmortem by a date, or the team's call. */
export type PostmortemAdvice =
  | {
      kind: 'required';
      severity: string;
      /** The most severe level the incident held that requires a postmortem (may differ from `severity`). */
      requiredBy: string;
      withinBusinessDays: number;
      /** Known once the incident is resolved: the days count from the resolution. */
      dueAt?: string;
    }
  | {
      kind: 'optional';
      severity: string;
      /** The severities of the table that do require one, most severe first. */
      requiredFor: string[];
    };

/**
 * Whether the incident requires a postmortem (`postmortemWithinBusinessDays` of the severity table,
 * for the most severe level it held: the runbooks require one for P1/P2 within 5 business days and
 * leave the others to the team), with its due date from the projection's postmortem target once resolved.
 */
export function advisePostmortem(
  state: Pick<IncidentState, 'severity' | 'severityHistory' | 'targets'>,
  severities: readonly SeverityRules[] = DEFAULT_SEVERITIES,
): PostmortemAdvice {
  const rule = postmortemRule(state, severities);
  if (rule) {
    const dueAt = state.targets.find((t) => t.target === 'postmortem')?.dueAt;
    return {
      kind: 'required',
      severity: state.severity,
      requiredBy: rule.severity,
      withinBusinessDays: rule.withinBusinessDays,
      ...(dueAt ? { dueAt } : {}),
    };
  }
  const requiredFor = severities.filter((s) => s.postmortemWithinBusinessDays).map((s) => s.name);
  return { kind: 'optional', severity: state.severity, requiredFor };
}

/** The fields of a severity the postmortem rule reads (the config's table or a report's view of it). */
export interface PostmortemRuleSource {
  name: string;
  aliases?: readonly string[];
  postmortemWithinBusinessDays?: number | null;
}

/**
 * The postmortem rule an incident falls under: the strictest of the levels it held at any time
 * (the first of the table on a tie), not only that of its last severity. A SEV1 outage lowered to SEV3 once mitigated
 * was still a SEV1 incident, and the runbooks require a postmortem for every P1/P2 incident.
 */
export function postmortemRule(
  state: Pick<IncidentState, 'severity' | 'severityHistory'>,
  severities: readonly PostmortemRuleSource[],
): { severity: string; withinBusinessDays: number } | undefined {
  const held = severitiesHeld(state).map((name) => name.toLowerCase());
  const heldOne = (s: PostmortemRuleSource) =>
    [s.name, ...(s.aliases ?? [])].some((name) => held.includes(name.toLowerCase()));
  let strictest: { severity: string; withinBusinessDays: number } | undefined;
  for (const s of severities) {
    const days = s.postmortemWithinBusinessDays;
    if (!days || !heldOne(s) || (strictest && strictest.withinBusinessDays <= days)) continue;
    strictest = { severity: s.name, withinBusinessDays: days };
  }
  return strictest;
}
