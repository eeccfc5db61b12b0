import type { Clock } from '../clock.js';
import type { WorkloadRef } from '../incident/event.js';
import type { KubeClient } from '../kube/index.js';
import { describeRef } from './owners.js';
import { sameWorkload } from './signals/recovery-lines.js';
import { SIGNAL_FIGURES } from './signals/signal-figures.js';
import type { SignalsSettings } from './signals/signals-settings.js';
import type { ObjectRef, TriageReport } from './types.js';
import { measure } from './verify-signals.js';

/** A workload the incident's triage flagged, and for what (HighErrorRate, HighLatency, TrafficDrop). */
export interface FlaggedWorkload {
  workload: WorkloadRef;
  reasons: readonly string[];
}

export interface StillImpactedOptions {
  workloads: readonly FlaggedWorkload[];
  /** The baseline is the hour before this (the impact start). */
  baselineEndMs: number;
  /** Measure only since this (the last mitigation), when it is more recent than the window's start. */
  sinceMs?: number;
}

export type StillImpacted =
  | { kind: 'recovered'; lines: string[] }
  /** `what`: "the p99 latency is still above its baseline", once per figure. */
  | { kind: 'impacted'; lines: string[]; what: string[] }
  | { kind: 'unmeasured'; reason: string };

/**
 * Before an incident is resolved: are the figures triage flagged (5xx ratio, p99 latency, request
 * rate) back at baseline? Measured now, over the window (or since the last mitigation, after
 * `settle` of data), against the hour before the impact started; a figure that still makes its
 * finding is still impact.
 */
export async function checkStillImpacted(
  kube: KubeClient,
  clock: Clock,
  signal: AbortSignal,
  settings: SignalsSettings,
  options: StillImpactedOptions,
): Promise<StillImpacted> {
  const nowMs = clock.now().getTime();
  const since = options.sinceMs ?? 0;
  const windowMs = Math.min(settings.windowMs, Math.max(settings.settleMs, nowMs - since));
  const judged: ReturnType<typeof judgeWorkload>[] = [];
  for (const namespace of new Set(options.workloads.map((w) => w.workload.namespace))) {
    const report = await measure(
      kube,
      clock,
      signal,
      { namespace },
      { ...settings, sampleMs: Math.min(settings.sampleMs, windowMs) },
      windowMs,
      options.baselineEndMs,
    );
    const check = report.checks.find((c) => c.check === 'signals');
    if (check?.status !== 'ok') return { kind: 'unmeasured', reason: check?.error ?? 'no signals source' };
    // A direct scrape measures over its sample, not the window asked for.
    const over = `over the last ${report.signals?.windowSeconds ?? Math.round(windowMs / 1000)} s`;
    for (const flagged of options.workloads.filter((w) => w.workload.namespace === namespace))
      judged.push(judgeWorkload(report, flagged, over));
  }
  const impacted = judged.flatMap((j) => j.impacted);
  if (impacted.length === 0) return { kind: 'recovered', lines: judged.flatMap((j) => j.recovered) };
  return { kind: 'impacted', lines: impacted, what: [...new Set(judged.flatMap((j) => j.what))] };
}

/** One flagged workload against a fresh measurement: each flagged figure still off, or back. */
export function judgeWorkload(
  report: TriageReport,
  flagged: FlaggedWorkload,
  over: string,
): { impacted: string[]; recovered: string[]; what: string[] } {
  const { workload } = flagged;
  const name = describeRef({ ...workload });
  const same = (ref: ObjectRef | undefined) => sameWorkload(ref, workload);
  const figures = report.signals?.workloads.find((w) => same(w.workload));
  const result = { impacted: [] as string[], recovered: [] as string[], what: [] as string[] };
  for (const rule of SIGNAL_FIGURES.filter((s) => flagged.reasons.includes(s.reason))) {
    const figure = figures?.[rule.figure];
    // No traffic at all is a rate of zero; a ratio or a latency of no requests is none.
    const now = figure?.now ?? (rule.reason === 'TrafficDrop' ? 0 : undefined);
    const still = report.findings.some((f) => f.reason === rule.reason && same(f.workload));
    if (now === undefined) {
      if (!result.recovered.includes(`${name}: no traffic measured`))
        result.recovered.push(`${name}: no traffic measured`);
      continue;
    }
    const baseline = figure?.baseline === undefined ? '' : ` (baseline ${rule.format(figure.baseline)})`;
    const text = `${name}: ${rule.label} ${still ? 'still' : 'back to'} ${rule.format(now)}${baseline} ${over}`;
    if (!still) {
      result.recovered.push(text);
      continue;
    }
    result.impacted.push(text);
    result.what.push(`the ${rule.label} is still ${rule.off} its baseline`);
  }
  return result;
}
