import type { Clock } from '../clock.js';
import type { WorkloadRef } from '../incident/event.js';
import type { KubeClient } from '../kube/index.js';
import { describeRef } from './owners.js';
import { formatRatio } from './signals/format-signals.js';
import type { SignalsSettings } from './signals/signals-settings.js';
import { measure } from './verify-signals.js';

export interface StillImpactedOptions {
  /** The workloads whose 5xx ratio the incident's triage flagged. */
  workloads: readonly WorkloadRef[];
  /** The baseline is the hour before this (the impact start). */
  baselineEndMs: number;
  /** Measure only since this (the last mitigation), when it is more recent than the window's start. */
  sinceMs?: number;
}

export type StillImpacted =
  | { kind: 'recovered'; lines: string[] }
  | { kind: 'impacted'; lines: string[] }
  | { kind: 'unmeasured'; reason: string };

/**
 * Before an incident is resolved: is the 5xx ratio of the workloads it was about back at baseline?
 * Measured now, over the window (or since the last mitigation, after `settle` of data), against the
 * hour before the impact started; a ratio that still makes a HighErrorRate finding is still impact.
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
  const impacted: string[] = [];
  const recovered: string[] = [];
  for (const namespace of new Set(options.workloads.map((w) => w.namespace))) {
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
    for (const workload of options.workloads.filter((w) => w.namespace === namespace)) {
      const figures = report.signals?.workloads.find(
        (w) => w.workload.kind === workload.kind && w.workload.name === workload.name,
      );
      const ratio = figures?.errorRatio;
      const name = describeRef({ ...workload });
      if (ratio?.now === undefined) {
        recovered.push(`${name}: no traffic measured`);
        continue;
      }
      const baseline = ratio.baseline === undefined ? '' : ` (baseline ${formatRatio(ratio.baseline)})`;
      const flagged = report.findings.some(
        (f) => f.reason === 'HighErrorRate' && f.workload?.kind === workload.kind && f.workload.name === workload.name,
      );
      // A direct scrape measures over its sample, not the window asked for.
      const over = `over the last ${report.signals?.windowSeconds ?? Math.round(windowMs / 1000)} s`;
      if (flagged) impacted.push(`${name}: 5xx ratio still ${formatRatio(ratio.now)}${baseline} ${over}`);
      else recovered.push(`${name}: 5xx ratio back to ${formatRatio(ratio.now)}${baseline} ${over}`);
    }
  }
  return impacted.length ? { kind: 'impacted', lines: impacted } : { kind: 'recovered', lines: recovered };
}
