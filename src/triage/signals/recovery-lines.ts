import { describeRef } from '../owners.js';
import type { Finding, ObjectRef, SignalsReport } from '../types.js';
import { formatLatency, formatRate, formatRatio } from './format-signals.js';
import { SIGNAL_FIGURES } from './signal-figures.js';

type WorkloadFigures = SignalsReport['workloads'][number];

export interface Measured {
  before: SignalsReport | undefined;
  after: SignalsReport | undefined;
  problems: readonly Finding[];
  still: readonly Finding[];
}

/**
 * How each workload's figures came out: "request rate back to 3.1/s (baseline 3.2/s), was 0.00/s".
 * For the playbook's workload, its 5xx ratio and p99 latency always; for a namespace, each workload
 * a signal finding named before or after the mitigation, by name. A figure that was no problem says
 * no "back to".
 */
export function describeRecovery(measured: Measured, options: { namespace?: string; workload?: string }): string[] {
  const named = options.workload;
  const flagged = [...measured.problems, ...measured.still].flatMap((f) => (f.workload ? [f.workload] : []));
  const targets: ObjectRef[] = named
    ? [{ kind: '', namespace: options.namespace, name: named }]
    : flagged.filter((ref, i) => flagged.findIndex((other) => sameWorkload(ref, other)) === i);
  if (targets.length === 0) return busiestLines(measured.after, options);
  return targets.flatMap((ref) => {
    const prefix = named ? '' : `${describeRef(ref)}: `;
    const figures = figuresOf(measured.after, ref);
    const lines = SIGNAL_FIGURES.flatMap((rule) => {
      const had = measured.problems.some((f) => f.reason === rule.reason && sameWorkload(f.workload, ref));
      const still = measured.still.some((f) => f.reason === rule.reason && sameWorkload(f.workload, ref));
      const shown = had || still || (named !== undefined && rule.reason !== 'TrafficDrop');
      // No traffic at all is a rate of zero; an error ratio or a latency of no requests is none.
      const now = figures?.[rule.figure].now ?? (rule.reason === 'TrafficDrop' && figures ? 0 : undefined);
      if (!shown || now === undefined || (rule.reason !== 'TrafficDrop' && !hasTraffic(figures))) return [];
      const verb = still ? 'still ' : had ? 'back to ' : '';
      const was = had ? wasOf(figuresOf(measured.before, ref)?.[rule.figure].now, now, rule.format) : '';
      return [
        `${prefix}${rule.label} ${verb}${rule.format(now)}${baselineOf(figures?.[rule.figure].baseline, rule.format)}${was}`,
      ];
    });
    return lines.length || hasTraffic(figures)
      ? lines
      : [`${prefix}signals: no traffic measured for the workload since the mitigation`];
  });
}

const BUSIEST = 3;

/** No signal finding in the namespace: what its busiest workloads serve now, so the traffic is seen. */
function busiestLines(after: SignalsReport | undefined, options: { namespace?: string; workload?: string }): string[] {
  const busiest = (after?.workloads ?? [])
    .filter(hasTraffic)
    .sort((a, b) => (b.requestRate.now ?? 0) - (a.requestRate.now ?? 0))
    .slice(0, BUSIEST);
  const where = options.namespace ? ` in namespace ${options.namespace}` : '';
  if (busiest.length === 0) return [`signals: no traffic measured${where} since the mitigation`];
  return [
    `signals: no error-rate, latency or traffic finding${where}`,
    ...busiest.map(
      (w) =>
        `  ${describeRef(w.workload)}: ${formatRate(w.requestRate.now ?? 0)}, 5xx ${formatRatio(w.errorRatio.now ?? 0)}${w.p99Seconds.now === undefined ? '' : `, p99 ${formatLatency(w.p99Seconds.now)}`}`,
    ),
  ];
}

function figuresOf(signals: SignalsReport | undefined, ref: ObjectRef): WorkloadFigures | undefined {
  return signals?.workloads.find((w) => sameWorkload(w.workload, ref));
}

function hasTraffic(figures: WorkloadFigures | undefined): boolean {
  return (figures?.requestRate.now ?? 0) > 0;
}

/** Same workload; a ref without a kind (the playbook's `workload` parameter) matches by name. */
export function sameWorkload(a: ObjectRef | undefined, b: ObjectRef | undefined): boolean {
  if (!a || !b) return false;
  return a.name === b.name && (!a.kind || !b.kind || (a.kind === b.kind && a.namespace === b.namespace));
}

function baselineOf(value: number | undefined, format: (v: number) => string): string {
  return value === undefined ? '' : ` (baseline ${format(value)})`;
}

/** ", was 30 %": only when the measurement before the wait still saw the problem. */
function wasOf(before: number | undefined, now: number, format: (v: number) => string): string {
  return before === undefined || format(before) === format(now) ? '' : `, was ${format(before)}`;
}
