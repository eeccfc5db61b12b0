import type { MeasuredSignals } from '../../incident/event.js';
import type { Finding, SignalsReport } from '../types.js';
import { describeSource } from './evaluate-signals.js';

/** Enough for the affected workloads and their neighbours, small enough for one log line. */
const RECORDED_WORKLOADS = 20;

/**
 * The figures a triage run keeps in the incident log: the workloads with a signal finding first, then
 * the busiest. Status updates ("5xx ratio 18 % → 0.3 %"), `inc resolve` and the postmortem's chart
 * read them back without asking the cluster again.
 */
export function measuredSignals(signals: SignalsReport, findings: readonly Finding[]): MeasuredSignals {
  const reasonsOf = (namespace: string | undefined, name: string) =>
    findings
      .filter(
        (f) => f.check === 'signals' && f.workload?.name === name && (f.workload.namespace ?? '') === (namespace ?? ''),
      )
      .map((f) => f.reason);
  const workloads = signals.workloads
    .map((w) => ({
      workload: { kind: w.workload.kind, namespace: w.workload.namespace ?? '', name: w.workload.name },
      requestRate: figure(w.requestRate),
      errorRatio: figure(w.errorRatio),
      p99Seconds: figure(w.p99Seconds),
      reasons: reasonsOf(w.workload.namespace, w.workload.name),
    }))
    .sort((a, b) => b.reasons.length - a.reasons.length || (b.requestRate.now ?? 0) - (a.requestRate.now ?? 0))
    .slice(0, RECORDED_WORKLOADS);
  return {
    at: signals.at,
    windowSeconds: signals.windowSeconds,
    source: describeSource({ source: signals.source }),
    workloads,
  };
}

function figure(value: { now?: number; baseline?: number }): { now?: number; baseline?: number } {
  return {
    ...(value.now === undefined ? {} : { now: value.now }),
    ...(value.baseline === undefined ? {} : { baseline: value.baseline }),
  };
}
