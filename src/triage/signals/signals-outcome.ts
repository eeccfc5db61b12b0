import type { SignalsReport } from '../types.js';
import type { SignalThresholds } from './signal-thresholds.js';
import type { Figure, SignalsData, WorkloadSignals } from './signal-types.js';

/** What came of asking for the signals: figures, no source to ask, or a source that failed. */
export type SignalsOutcome =
  | { kind: 'data'; data: SignalsData; thresholds: SignalThresholds }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; error: string };

/** The figures as the JSON report carries them: times as ISO strings. */
export function signalsReport(data: SignalsData, workloads: readonly WorkloadSignals[]): SignalsReport {
  return {
    source: { ...data.source, profiles: [...data.source.profiles] },
    at: new Date(data.atMs).toISOString(),
    windowSeconds: Math.round(data.windowMs / 1000),
    workloads: workloads.map((w) => ({
      workload: w.workload,
      via: w.via,
      requestRate: figureJson(w.requestRate),
      errorRatio: figureJson(w.errorRatio),
      p99Seconds: figureJson(w.p99Seconds),
    })),
  };
}

function figureJson(figure: Figure): SignalsReport['workloads'][number]['requestRate'] {
  return {
    ...(figure.now === undefined ? {} : { now: round(figure.now) }),
    ...(figure.baseline === undefined ? {} : { baseline: round(figure.baseline) }),
    points: figure.points.map(([at, value]) => ({ at: new Date(at).toISOString(), value: round(value) })),
  };
}

/** Six significant digits: enough for a chart, without float noise in the JSON. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
