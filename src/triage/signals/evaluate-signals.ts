import { type DraftFinding, draft } from '../checks/check.js';
import { describeRef } from '../owners.js';
import { formatClockSeconds, formatLatency, formatRate, formatRatio } from './format-signals.js';
import {
  crossedSince,
  errorRatioVerdict,
  latencyVerdict,
  type SignalThresholds,
  type SignalVerdict,
  trafficVerdict,
} from './signal-thresholds.js';
import type { Figure, SignalsData, WorkloadSignals } from './signal-types.js';
import { sparkline } from './sparkline.js';

/** Turns each workload's figures into findings: HighErrorRate, HighLatency, TrafficDrop. */
export function evaluateSignals(
  workloads: readonly WorkloadSignals[],
  data: Pick<SignalsData, 'source' | 'atMs' | 'windowMs'>,
  thresholds: SignalThresholds,
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const signals of workloads) {
    const rate = signals.requestRate.now;
    const busy = rate !== undefined && rate >= thresholds.minRequestRate;
    const ratio = signals.errorRatio.now;
    if (busy && ratio !== undefined) {
      const verdict = errorRatioVerdict(ratio, signals.errorRatio.baseline, thresholds);
      if (verdict)
        findings.push(
          finding(signals, data, verdict, 'HighErrorRate', signals.errorRatio, formatRatio, '5xx ratio', (v) =>
            Boolean(errorRatioVerdict(v, signals.errorRatio.baseline, thresholds)),
          ),
        );
    }
    const p99 = signals.p99Seconds.now;
    if (busy && p99 !== undefined) {
      const verdict = latencyVerdict(p99, signals.p99Seconds.baseline, thresholds);
      if (verdict)
        findings.push(
          finding(signals, data, verdict, 'HighLatency', signals.p99Seconds, formatLatency, 'p99 latency', (v) =>
            Boolean(latencyVerdict(v, signals.p99Seconds.baseline, thresholds)),
          ),
        );
    }
    if (rate !== undefined) {
      const verdict = trafficVerdict(rate, signals.requestRate.baseline, thresholds);
      if (verdict)
        findings.push(
          finding(signals, data, verdict, 'TrafficDrop', signals.requestRate, formatRate, 'request rate', (v) =>
            Boolean(trafficVerdict(v, signals.requestRate.baseline, thresholds)),
          ),
        );
    }
  }
  return findings;
}

function finding(
  signals: WorkloadSignals,
  data: Pick<SignalsData, 'source' | 'atMs' | 'windowMs'>,
  verdict: Exclude<SignalVerdict, undefined>,
  reason: string,
  figure: Figure,
  format: (value: number) => string,
  label: string,
  crosses: (value: number) => boolean,
): DraftFinding {
  // The window's own start when the points do not say (a direct scrape has no history).
  const sinceMs = crossedSince(figure.points, crosses) ?? data.atMs - data.windowMs;
  const now = format(figure.now ?? 0);
  const baseline = figure.baseline === undefined ? 'no baseline yet' : `baseline ${format(figure.baseline)}`;
  const drop =
    reason === 'TrafficDrop' && figure.baseline
      ? `, down ${Math.round((1 - (figure.now ?? 0) / figure.baseline) * 100)} %`
      : '';
  return draft({
    check: 'signals',
    severity: verdict,
    reason,
    title: `${describeRef(signals.workload)}: ${label} ${now}${drop} (${baseline}) since ${formatClockSeconds(sinceMs)}`,
    workload: signals.workload,
    objects: [signals.workload],
    since: new Date(sinceMs).toISOString(),
    firstFailureMs: sinceMs,
    evidence: evidenceOf(signals, data, figure, format, label),
  });
}

function evidenceOf(
  signals: WorkloadSignals,
  data: Pick<SignalsData, 'source' | 'atMs' | 'windowMs'>,
  figure: Figure,
  format: (value: number) => string,
  label: string,
): string[] {
  const lines: string[] = [];
  const recent = figure.points.filter(([at]) => at >= data.atMs - 30 * 60_000).map(([, value]) => value);
  if (recent.length > 1) lines.push(`${label}, last 30 min: ${sparkline(recent)} ${format(recent.at(-1) ?? 0)}`);
  const figures = [
    ['requests', signals.requestRate, formatRate],
    ['5xx', signals.errorRatio, formatRatio],
    ['p99', signals.p99Seconds, formatLatency],
  ] as const;
  lines.push(
    figures
      .filter(([, f]) => f.now !== undefined)
      .map(
        ([name, f, fmt]) =>
          `${name} ${fmt(f.now ?? 0)}${f.baseline === undefined ? '' : ` (baseline ${fmt(f.baseline)})`}`,
      )
      .join(', '),
  );
  lines.push(
    `measured ${describeSource(data)}, via ${signals.via}, over the last ${Math.round(data.windowMs / 1000)} s`,
  );
  return lines;
}

/** "by Prometheus http://…", "by Prometheus monitoring/prometheus-operated:9090 (found in the cluster)". */
export function describeSource(data: Pick<SignalsData, 'source'>): string {
  const { kind, name, profiles } = data.source;
  const profile = profiles.length ? ` (${profiles.join(', ')})` : '';
  if (kind === 'scrape') return `by scraping ${name} directly${profile}`;
  if (kind === 'discovered') return `by Prometheus ${name}, found in the cluster${profile}`;
  return `by Prometheus ${name}${profile}`;
}
