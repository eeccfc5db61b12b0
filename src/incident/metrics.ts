/** The timestamps an incident's metrics are computed from (ISO strings). */
export interface IncidentTimes {
  impactStartedAt: string;
  /** When the first alert linked to the incident fired. */
  alertedAt?: string;
  declaredAt: string;
  acknowledgedAt?: string;
  investigatingAt?: string;
  identifiedAt?: string;
  mitigatedAt?: string;
  monitoringAt?: string;
  resolvedAt?: string;
}

/**
 * Each metric is an explicit from→to pair, as incident.io's duration metrics are. Acknowledging
 * runs from the page: the first alert when there is one, else the declaration.
 */
export const METRIC_DEFINITIONS = [
  { key: 'timeToDetect', label: 'time to detect', from: 'impactStartedAt', to: 'alertedAt' },
  { key: 'timeToDeclare', label: 'time to declare', from: 'impactStartedAt', to: 'declaredAt' },
  {
    key: 'timeToAcknowledge',
    label: 'time to acknowledge',
    from: 'alertedAt',
    fallbackFrom: 'declaredAt',
    to: 'acknowledgedAt',
  },
  { key: 'timeToMitigate', label: 'time to mitigate', from: 'impactStartedAt', to: 'mitigatedAt' },
  { key: 'timeToResolve', label: 'time to resolve', from: 'impactStartedAt', to: 'resolvedAt' },
] as const;

export type MetricKey = (typeof METRIC_DEFINITIONS)[number]['key'];

export interface IncidentMetric {
  key: MetricKey;
  label: string;
  /** Names of the two timestamps, e.g. "impactStartedAt" → "mitigatedAt". */
  from: keyof IncidentTimes;
  to: keyof IncidentTimes;
  fromAt: string | undefined;
  toAt: string | undefined;
  /** Milliseconds, or null while the end has not happened. */
  ms: number | null;
}

/** Names for people: "impactStartedAt" → "impact started". */
export const TIME_LABELS: Record<keyof IncidentTimes, string> = {
  impactStartedAt: 'impact started',
  alertedAt: 'first alert fired',
  declaredAt: 'declared',
  acknowledgedAt: 'acknowledged',
  investigatingAt: 'investigating',
  identifiedAt: 'identified',
  mitigatedAt: 'mitigated',
  monitoringAt: 'monitoring',
  resolvedAt: 'resolved',
};

/** The metrics of an incident; detection only for one an alert is linked to (else there is nothing to measure). */
export function computeMetrics(times: IncidentTimes): IncidentMetric[] {
  const definitions = METRIC_DEFINITIONS.filter((d) => d.key !== 'timeToDetect' || times.alertedAt !== undefined);
  return definitions.map((definition) => {
    const fallback = 'fallbackFrom' in definition ? definition.fallbackFrom : undefined;
    const from = times[definition.from] === undefined && fallback ? fallback : definition.from;
    const fromAt = times[from];
    const toAt = times[definition.to];
    const ms = fromAt && toAt ? Date.parse(toAt) - Date.parse(fromAt) : null;
    return { key: definition.key, label: definition.label, from, to: definition.to, fromAt, toAt, ms };
  });
}

/** The median of some numbers (the mean of the middle two for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
