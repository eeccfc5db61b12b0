import { type SeverityCadence, updateCadenceMinutes } from './cadence.js';
import type { IncidentView } from './incident-view.js';

export type UpdateDue =
  | { kind: 'none'; reason: 'resolved' | 'no-cadence' }
  | { kind: 'due'; at: Date; overdue: boolean; overdueMs: number; cadenceMinutes: number | null };

/**
 * When the next status update is due: the time promised by the last update, else the
 * declaration plus the severity's cadence (the first update). Nothing is due once resolved,
 * or for a severity without a cadence that has promised nothing.
 */
export function nextUpdateDue(view: IncidentView, now: Date, severities: readonly SeverityCadence[] = []): UpdateDue {
  if (view.status === 'resolved') return { kind: 'none', reason: 'resolved' };
  const cadenceMinutes = updateCadenceMinutes(view.severity, severities);
  const promised = view.updates.at(-1)?.nextUpdateAt;
  const at =
    promised ?? (cadenceMinutes === null ? undefined : new Date(view.declaredAt.getTime() + cadenceMinutes * 60_000));
  if (!at) return { kind: 'none', reason: 'no-cadence' };
  const overdueMs = Math.max(0, now.getTime() - at.getTime());
  return { kind: 'due', at, overdue: overdueMs > 0, overdueMs, cadenceMinutes };
}
