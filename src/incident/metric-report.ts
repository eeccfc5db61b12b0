import { formatDuration } from '../duration.js';
import { type IncidentTimes, TIME_LABELS } from './metrics.js';
import type { IncidentState } from './state-types.js';

/** One metric for people: its name, the two instants it runs between, and its value as text. */
export interface MetricLine {
  name: string;
  from: string;
  to: string;
  /** Milliseconds, or undefined while the end point has not happened (or was not recorded). */
  ms: number | undefined;
  /** "7m30s", or "not yet" / "not recorded". */
  text: string;
}

export interface MetricsReport {
  metrics: MetricLine[];
  /** The milestones the metrics were computed from (ISO). */
  times: IncidentTimes;
  /** Out-of-order milestones (impact start ≤ declared ≤ acknowledged ≤ mitigated ≤ resolved): warned, not blocked. */
  warnings: string[];
}

const ORDER: ReadonlyArray<keyof IncidentTimes> = [
  'impactStartedAt',
  'declaredAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
];

/**
 * The incident's metrics for a report, in words: the projection's metrics (so `inc status` and the
 * postmortem always agree) plus the declared duration. A metric whose end is missing reads
 * "not yet" while the incident is open and "not recorded" once it is resolved.
 */
export function describeMetrics(
  state: Pick<IncidentState, 'open' | 'impactStartGiven' | 'metrics' | 'times'>,
): MetricsReport {
  const pending = state.open ? 'not yet' : 'not recorded';
  const label = (key: keyof IncidentTimes) =>
    key === 'impactStartedAt' && !state.impactStartGiven ? 'impact started (not recorded: declared)' : TIME_LABELS[key];
  const metrics: MetricLine[] = state.metrics.map((metric) => ({
    name: metric.label.charAt(0).toUpperCase() + metric.label.slice(1),
    from: label(metric.from),
    to: label(metric.to),
    ms: metric.ms ?? undefined,
    text: metric.ms === null ? pending : formatDuration(metric.ms),
  }));
  const { declaredAt, resolvedAt } = state.times;
  const declaredMs = resolvedAt ? Date.parse(resolvedAt) - Date.parse(declaredAt) : undefined;
  metrics.push({
    name: 'Duration (declared)',
    from: 'declared',
    to: 'resolved',
    ms: declaredMs,
    text: declaredMs === undefined ? 'not yet' : formatDuration(declaredMs),
  });
  return { metrics, times: state.times, warnings: orderWarnings(state.times) };
}

function orderWarnings(times: IncidentTimes): string[] {
  const warnings: string[] = [];
  let previous: keyof IncidentTimes | undefined;
  for (const key of ORDER) {
    const at = times[key];
    if (!at) continue;
    const before = previous ? times[previous] : undefined;
    if (previous && before && Date.parse(at) < Date.parse(before)) {
      warnings.push(`${TIME_LABELS[key]} (${at}) is before ${TIME_LABELS[previous]} (${before})`);
    }
    previous = key;
  }
  return warnings;
}
