import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/index.js';
import { fetchSnapshot } from './adapters/fetch-snapshot.js';
import { signalsSource } from './adapters/signals-source.js';
import { runTriage } from './run-triage.js';
import { describeRecovery, sameWorkload } from './signals/recovery-lines.js';
import { IMPACT_REASONS } from './signals/signal-figures.js';
import type { SignalsSettings } from './signals/signals-settings.js';
import type { Finding, TriageReport } from './types.js';

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
): Promise<{ healthy: boolean; lines: string[]; after?: TriageReport }> {
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
  // A source that answered before and fails now (Prometheus gone mid-run) measured nothing: no
  // traffic is not what it saw. A problem seen before is then not known to be gone.
  const failed = after.checks.find((c) => c.check === 'signals');
  if (failed?.status !== 'ok') {
    const unknown = problems.length
      ? `; whether users still see ${problems.map((f) => f.title).join('; ')} is not known: inc triage --check signals measures again`
      : '';
    return {
      healthy: problems.length === 0,
      lines: [`signals not measured after the mitigation: ${failed?.error ?? 'no source'}${unknown}`],
    };
  }
  const dropped = problems.filter((f) => f.reason === 'TrafficDrop');
  // A drop counts after the mitigation only for a workload it was the problem of: a workload's
  // request rate is no verdict on a mitigation made for another.
  const still = signalFindings(after, options).filter(
    (f) => f.reason !== 'TrafficDrop' || dropped.some((d) => sameWorkload(d.workload, f.workload)),
  );
  const lines = describeRecovery({ before: before.signals, after: after.signals, problems, still }, options);
  lines.push(`  measured over the ${Math.round(windowMs / 1000)} s since the mitigation completed`);
  return { healthy: still.length === 0, lines, after };
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
      IMPACT_REASONS.includes(f.reason) &&
      (!options.workload || f.workload?.name === options.workload),
  );
}
