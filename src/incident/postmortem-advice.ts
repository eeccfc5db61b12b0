import { DEFAULT_SEVERITIES, type SeverityRules } from '../severity-table.js';
import type { IncidentState } from './state-types.js';

/** What the severity table asks of an incident once it is over: a postmortem by a date, or the team's call. */
export type PostmortemAdvice =
  | {
      kind: 'required';
      severity: string;
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
 * Whether the incident's severity requires a postmortem (`postmortemWithinBusinessDays` of the
 * severity table: the runbooks require one for P1/P2 within 5 business days and leave the others
 * to the team), with its due date from the projection's postmortem target once resolved.
 */
export function advisePostmortem(
  state: Pick<IncidentState, 'severity' | 'targets'>,
  severities: readonly SeverityRules[] = DEFAULT_SEVERITIES,
): PostmortemAdvice {
  const days = severities.find((s) => s.name === state.severity)?.postmortemWithinBusinessDays;
  if (days) {
    const dueAt = state.targets.find((t) => t.target === 'postmortem')?.dueAt;
    return { kind: 'required', severity: state.severity, withinBusinessDays: days, ...(dueAt ? { dueAt } : {}) };
  }
  const requiredFor = severities.filter((s) => s.postmortemWithinBusinessDays).map((s) => s.name);
  return { kind: 'optional', severity: state.severity, requiredFor };
}
