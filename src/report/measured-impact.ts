import type { MeasuredSignals, WorkloadRef } from '../incident/event.js';
import { IMPACT_REASONS, SIGNAL_FIGURES } from '../triage/signals/signal-figures.js';

/** The parts of a recorded triage the impact is read from. */
interface Measurement {
  signals?: MeasuredSignals;
}

// The figures charted for an incident: its errors and its waits.
const CHARTED = SIGNAL_FIGURES.filter((s) => s.reason !== 'TrafficDrop');

/**
 * The measured impact, from the signals the incident's triage runs recorded: for each workload a
 * signal finding named, the worst figure seen while it was flagged (the lowest request rate of a
 * drop), then the latest measurement ("deployment payments/api: 5xx ratio 18 % → 0.3 % (baseline
 * 0.2 %)", "request rate 0.00/s → 3.1/s (baseline 3.2/s)"). Empty without signals.
 */
export function describeMeasuredImpact(measurements: readonly Measurement[]): string[] {
  const lines: string[] = [];
  const recorded = measurements.flatMap((m) => (m.signals ? [m.signals] : []));
  for (const { workload } of flaggedSignals(recorded)) {
    const parts: string[] = [];
    for (const signal of SIGNAL_FIGURES) {
      const seen = recorded.flatMap((signals, index) => {
        const entry = signals.workloads.find((w) => sameRef(w.workload, workload));
        const now = entry?.[signal.figure].now;
        if (!entry || now === undefined) return [];
        return [
          { index, now, baseline: entry[signal.figure].baseline, flagged: entry.reasons.includes(signal.reason) },
        ];
      });
      const flagged = seen.filter((s) => s.flagged);
      if (flagged.length === 0) continue;
      const worse = (a: number, b: number) => (signal.off === 'above' ? b > a : b < a);
      const worst = flagged.reduce((a, b) => (worse(a.now, b.now) ? b : a));
      const latest = seen.at(-1)!;
      const baseline = worst.baseline ?? latest.baseline;
      const after = latest.index > worst.index ? ` → ${signal.format(latest.now)}` : '';
      const base = baseline === undefined ? '' : ` (baseline ${signal.format(baseline)})`;
      parts.push(`${signal.label} ${signal.format(worst.now)}${after}${base}`);
    }
    if (parts.length) lines.push(`${workload.kind.toLowerCase()} ${refName(workload)}: ${parts.join(', ')}`);
  }
  return lines;
}

/** Every workload an error-rate or latency finding (the charted ones) named, or only `reason`, in the order first flagged. */
export function flaggedWorkloads(recorded: readonly MeasuredSignals[], reason?: string): WorkloadRef[] {
  const found: WorkloadRef[] = [];
  const counts = (r: string) => (reason ? r === reason : CHARTED.some((s) => s.reason === r));
  for (const signals of recorded)
    for (const entry of signals.workloads)
      if (entry.reasons.some(counts) && !found.some((w) => sameRef(w, entry.workload))) found.push(entry.workload);
  return found;
}

/** Every workload a signal finding named, with the findings' reasons, in the order first flagged. */
export function flaggedSignals(recorded: readonly MeasuredSignals[]): { workload: WorkloadRef; reasons: string[] }[] {
  const found: { workload: WorkloadRef; reasons: string[] }[] = [];
  for (const signals of recorded)
    for (const entry of signals.workloads) {
      const reasons = entry.reasons.filter((r) => IMPACT_REASONS.includes(r));
      if (reasons.length === 0) continue;
      const known = found.find((f) => sameRef(f.workload, entry.workload));
      if (!known) found.push({ workload: entry.workload, reasons: [...new Set(reasons)] });
      else for (const reason of reasons) if (!known.reasons.includes(reason)) known.reasons.push(reason);
    }
  return found;
}

function sameRef(a: WorkloadRef, b: WorkloadRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function refName(ref: WorkloadRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}
