import { formatDuration } from '../duration.js';
import type { IncidentView } from './incident-view.js';

/** One named duration with the two instants it runs between, as incident.io's duration metrics declare them. */
export interface IncidentMetric {
  name: string;
  from: string;
  to: string;
  /** Milliseconds, or undefined while the end point has not happened (or was not recorded). */
  ms: number | undefined;
  /** "7m30s", or "not yet" / "not recorded". */
  text: string;
}

export interface MetricsReport {
  metrics: IncidentMetric[];
  /** Out-of-order milestones (impact start ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved): warned, not blocked. */
  warnings: string[];
}

function metric(
  name: string,
  from: string,
  to: string,
  start: Date,
  end: Date | undefined,
  pending: string,
): IncidentMetric {
  const ms = end === undefined ? undefined : end.getTime() - start.getTime();
  return { name, from, to, ms, text: ms === undefined ? pending : formatDuration(ms) };
}

/**
 * Computes the incident's metrics from its milestones. Impact start defaults to the declaration
 * when it was not backdated; acknowledgement defaults to the declaration, since whoever declares
 * an incident has acknowledged it.
 */
export function computeMetrics(view: IncidentView): MetricsReport {
  const impactStart = view.impactStartedAt ?? view.declaredAt;
  const impactLabel = view.impactStartedAt ? 'impact started' : 'declared (impact start not recorded)';
  const acknowledged = view.acknowledgedAt ?? view.declaredAt;
  const pending = view.resolvedAt ? 'not recorded' : 'not yet';
  const metrics: IncidentMetric[] = [];
  if (view.impactStartedAt) {
    metrics.push(metric('Time to detect', 'impact started', 'declared', impactStart, view.declaredAt, pending));
  }
  metrics.push(
    metric('Time to acknowledge', impactLabel, 'acknowledged', impactStart, acknowledged, pending),
    metric('Time to mitigate', impactLabel, 'mitigated', impactStart, view.mitigatedAt, pending),
    metric('Time to resolve', impactLabel, 'resolved', impactStart, view.resolvedAt, 'not yet'),
    metric('Duration (declared)', 'declared', 'resolved', view.declaredAt, view.resolvedAt, 'not yet'),
  );
  return { metrics, warnings: orderWarnings(view, impactStart, acknowledged) };
}

function orderWarnings(view: IncidentView, impactStart: Date, acknowledged: Date): string[] {
  const milestones: Array<[string, Date | undefined]> = [
    ['impact started', impactStart],
    ['declared', view.declaredAt],
    ['acknowledged', acknowledged],
    ['mitigated', view.mitigatedAt],
    ['resolved', view.resolvedAt],
  ];
  const warnings: string[] = [];
  let previous: [string, Date] | undefined;
  for (const [name, at] of milestones) {
    if (!at) continue;
    if (previous && at.getTime() < previous[1].getTime()) {
      warnings.push(`${name} (${at.toISOString()}) is before ${previous[0]} (${previous[1].toISOString()})`);
    }
    previous = [name, at];
  }
  return warnings;
}
