import { DEFAULT_SEVERITIES } from '../config.js';
import { type IncidentState, nextUpdateDueAt } from '../incident/state.js';
import type { SeverityCadence } from './cadence.js';

export type UpdateDue =
  | { kind: 'none'; reason: 'resolved' | 'no-cadence' }
  | { kind: 'due'; at: Date; overdue: boolean; overdueMs: number };

/**
 * When the next status update is due, by the incident log's rule (the same `inc status` shows):
 * the time the last update promised, else one cadence after the last update or the declaration.
 * Nothing is due once resolved, or for a severity without a cadence.
 */
export function nextUpdateDue(
  incident: IncidentState,
  now: Date,
  severities: readonly SeverityCadence[] = DEFAULT_SEVERITIES,
): UpdateDue {
  if (incident.updateStatus === 'resolved' || !incident.open) return { kind: 'none', reason: 'resolved' };
  const dueAt = nextUpdateDueAt(incident, severities);
  if (!dueAt) return { kind: 'none', reason: 'no-cadence' };
  const at = new Date(dueAt);
  const overdueMs = Math.max(0, now.getTime() - at.getTime());
  return { kind: 'due', at, overdue: overdueMs > 0, overdueMs };
}
