import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/index.js';
import { fetchSnapshot } from './adapters/fetch-snapshot.js';
import { signalsSource } from './adapters/signals-source.js';
import { runTriage } from './run-triage.js';
import { formatLatency, formatRatio } from './signals/format-signals.js';
import type { SignalsSettings } from './signals/signals-settings.js';
import type { Finding, SignalsReport, TriageReport } from './types.js';

export interface VerifySignalsOptions {
  namespace?: string;
  workload?: string;
}

/**
 * Whether a mitigation fixed what users see: the workload's signals measured only from the moment
 * the mitigation completed (now), over `settle` of data, against the baseline before the problem
 * began. "5xx ratio back to 0.3 % (baseline 0.2 %), was 30 %". No signals source: nothing to say.
 */
export async function verifyWorkloadSignals(
  kube: KubeClient,
  clock: Clock,
  signal: AbortSignal,
  options: VerifySignalsOptions,
  settings: SignalsSettings,
): Promise<{ healthy: boolean; lines: string[] }> {
  const completedAt = clock.now().getTime();
  const before = await measure(kube, clock, signal, options, settings, settings.windowMs);
  const check = before.checks.find((c) => c.check === 'signals');
  if (check?.status !== 'ok') return { healthy: true, lines: [`signals not measured: ${check?.error ?? 'no source'}`] };
  const problems = signalFindings(before, options);
  // The baseline ends where the problem began, so the bad minutes do not count as normal.
  const began = problems.map((f) => Date.parse(f.since ?? '')).filter(Number.isFinite);
  const baselineEndMs = began.length ? Math.min(...began) : undefined;
  // Prometheus needs `settle` of data in its own time first. A direct scrape takes both its samples
  // from now on, `settle` apart on the pods' clock: its data comes after the mitigation by itself.
  const scraped = before.signals?.source.kind === 'scrape';
  const waitMs = scraped ? 0 : completedAt + settings.settleMs - clock.now().getTime();
  if (waitMs > 0) await clock.sleep(waitMs, signal);
  const windowMs = Math.max(settings.settleMs, clock.now().getTime() - completedAt);
  const after = await measure(
    kube,
    clock,
    signal,
    options,
    { ...settings, sampleMs: Math.min(windowMs, 120_000) },
    windowMs,
    baselineEndMs,
  );
  const still = signalFindings(after, options);
  const figures = workloadFigures(after.signals, options);
  const was = workloadFigures(before.signals, options);
  const lines: string[] = [];
  if (figures?.errorRatio.now !== undefined) {
    const verb = still.some((f) => f.reason === 'HighErrorRate') ? 'still' : 'back to';
    lines.push(
      `5xx ratio ${verb} ${formatRatio(figures.errorRatio.now)}${baselineOf(figures.errorRatio.baseline, formatRatio)}${wasOf(problems.some((f) => f.reason === 'HighErrorRate') ? was?.errorRatio.now : undefined, figures.errorRatio.now, formatRatio)}`,
    );
  }
  if (figures?.p99Seconds.now !== undefined && problems.some((f) => f.reason === 'HighLatency')) {
    const verb = still.some((f) => f.reason === 'HighLatency') ? 'still' : 'back to';
    lines.push(
      `p99 latency ${verb} ${formatLatency(figures.p99Seconds.now)}${baselineOf(figures.p99Seconds.baseline, formatLatency)}${wasOf(was?.p99Seconds.now, figures.p99Seconds.now, formatLatency)}`,
    );
  }
  if (!figures) lines.push('signals: no traffic measured for the workload since the mitigation');
  lines.push(`  measured over the ${Math.round(windowMs / 1000)} s since the mitigation completed`);
  return { healthy: still.length === 0, lines };
}

export function measure(
  kube: KubeClient,
  clock: Clock,
  signal: AbortSignal,
  options: VerifySignalsOptions,
  settings: SignalsSettings,
  windowMs: number,
  baselineEndMs?: number,
): Promise<TriageReport> {
  return runTriage(
    {
      context: kube.contextName,
      namespace: options.namespace,
      checks: ['signals'],
      sinceMs: 3_600_000,
      urls: [],
      clock,
    },
    {
      fetchSnapshot: (fetch) => fetchSnapshot(kube, fetch),
      signals: signalsSource({
        ...settings,
        windowMs,
        kube,
        baselineEndMs,
        clock,
        signal,
        sleep: (ms) => clock.sleep(ms, signal),
      }),
    },
  ).then((result) => result.report);
}

function signalFindings(report: TriageReport, options: VerifySignalsOptions): Finding[] {
  return report.findings.filter(
    (f) =>
      f.check === 'signals' &&
      (f.reason === 'HighErrorRate' || f.reason === 'HighLatency') &&
      (!options.workload || f.workload?.name === options.workload),
  );
}

function workloadFigures(signals: SignalsReport | undefined, options: VerifySignalsOptions) {
  return signals?.workloads.find(
    (w) => (!options.workload || w.workload.name === options.workload) && (w.requestRate.now ?? 0) > 0,
  );
}

function baselineOf(value: number | undefined, format: (v: number) => string): string {
  return value === undefined ? '' : ` (baseline ${format(value)})`;
}

/** ", was 30 %": only when the measurement before the wait still saw the problem. */
function wasOf(before: number | undefined, now: number, format: (v: number) => string): string {
  return before === undefined || format(before) === format(now) ? '' : `, was ${format(before)}`;
}
