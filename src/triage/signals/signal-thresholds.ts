/** When the golden signals make a finding; every value can be set in the config (`signals.thresholds`). */
export interface SignalThresholds {
  /** HighErrorRate is critical at this 5xx ratio or more… */
  errorRatio: number;
  /** …a warning from this ratio (with a baseline only)… */
  errorRatioWarning: number;
  /** …and in both cases at least this many times the baseline (when there is one). */
  errorRatioFactor: number;
  /** HighLatency: p99 at least this many times the baseline… */
  latencyFactor: number;
  /** …and above this floor (ms), which alone decides without a baseline. */
  latencyFloorMs: number;
  /** TrafficDrop: the request rate fell by at least this fraction of the baseline. */
  trafficDrop: number;
  /** Below this many requests per second a workload is too quiet to judge. */
  minRequestRate: number;
  /** HighErrorRate needs at least this many failed requests in the window: 2 of 39 is noise, not 5 %. */
  minFailedRequests: number;
}

export const DEFAULT_THRESHOLDS: Readonly<SignalThresholds> = {
  errorRatio: 0.05,
  errorRatioWarning: 0.01,
  errorRatioFactor: 5,
  latencyFactor: 2,
  latencyFloorMs: 500,
  trafficDrop: 0.5,
  minRequestRate: 0.1,
  minFailedRequests: 3,
};

export type SignalVerdict = 'critical' | 'warning' | undefined;

/**
 * Whether a 5xx baseline is itself at the critical level: no reference of normal. The baseline hour
 * fills with an incident that has lasted a part of it (a 30 % failure is a 5 % baseline after ten
 * minutes), or the service fails so all the time; either way it is judged by the threshold alone.
 */
export function baselineFailing(baseline: number | undefined, t: SignalThresholds): boolean {
  return baseline !== undefined && baseline >= t.errorRatio;
}

/** The error ratio's verdict: absolute thresholds, and the factor over the baseline when known and healthy. */
export function errorRatioVerdict(ratio: number, baseline: number | undefined, t: SignalThresholds): SignalVerdict {
  // A failing baseline is no history of normal: as without one, only the critical level counts.
  const reference = baselineFailing(baseline, t) ? undefined : baseline;
  const aboveBaseline = reference === undefined || ratio >= reference * t.errorRatioFactor;
  if (!aboveBaseline) return undefined;
  if (ratio >= t.errorRatio) return 'critical';
  // Without history a small ratio may be noise or normal for the service: only the critical level counts.
  if (ratio >= t.errorRatioWarning && reference !== undefined) return 'warning';
  return undefined;
}

/** The p99's verdict (seconds): above the floor, and the factor over the baseline when known. */
export function latencyVerdict(p99: number, baseline: number | undefined, t: SignalThresholds): SignalVerdict {
  if (p99 * 1000 < t.latencyFloorMs) return undefined;
  if (baseline === undefined) return 'warning';
  if (p99 < baseline * t.latencyFactor) return undefined;
  // Five times the usual latency is an outage for most callers (timeouts), not a slowdown.
  return p99 >= baseline * Math.max(5, t.latencyFactor) ? 'critical' : 'warning';
}

/** The request rate's verdict: a drop needs a baseline busy enough to tell. */
export function trafficVerdict(rate: number, baseline: number | undefined, t: SignalThresholds): SignalVerdict {
  if (baseline === undefined || baseline < t.minRequestRate) return undefined;
  return rate <= baseline * (1 - t.trafficDrop) ? 'warning' : undefined;
}

/**
 * When a signal crossed its threshold: the first point of the last unbroken run of points that
 * cross it, up to the newest point; undefined when the newest point does not cross.
 */
export function crossedSince(
  points: readonly [number, number][],
  crosses: (value: number) => boolean,
): number | undefined {
  let since: number | undefined;
  for (const [at, value] of points) {
    if (crosses(value)) since ??= at;
    else since = undefined;
  }
  return since;
}
