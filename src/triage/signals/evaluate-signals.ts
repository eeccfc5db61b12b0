import { type DraftFinding, draft } from '../checks/check.js';
import { describeRef } from '../owners.js';
import { formatClockSeconds, formatLatency, formatRate, formatRatio } from './format-signals.js';
import { SIGNAL_FIGURES, type SignalFigure } from './signal-figures.js';
import {
  baselineFailing,
  crossedSince,
  errorRatioVerdict,
  latencyVerdict,
  type SignalThresholds,
  type SignalVerdict,
  trafficVerdict,
} from './signal-thresholds.js';
import type { Figure, SignalsData, WorkloadSignals } from './signal-types.js';
import { sparkline } from './sparkline.js';

/** Whether a workload served enough in the window for a finding about its figures. */
type Enough = (signals: WorkloadSignals, windowMs: number, thresholds: SignalThresholds) => boolean;

/** Busy enough to judge: below the minimum request rate a workload is too quiet. */
const busy: Enough = (signals, _windowMs, t) => {
  const rate = signals.requestRate.now;
  return rate !== undefined && rate >= t.minRequestRate;
};
/** Busy, and enough requests failed in the window: 2 failures out of 39 are noise, not a 5 % ratio. */
const busyWithFailures: Enough = (signals, windowMs, t) =>
  busy(signals, windowMs, t) &&
  (signals.requestRate.now ?? 0) * (signals.errorRatio.now ?? 0) * (windowMs / 1000) >= t.minFailedRequests;

/** How each figure is judged, and when the workload served enough for a verdict. */
const JUDGES: Record<SignalFigure['reason'], { verdict: typeof errorRatioVerdict; enough: Enough }> = {
  HighErrorRate: { verdict: errorRatioVerdict, enough: busyWithFailures },
  HighLatency: { verdict: latencyVerdict, enough: busy },
  // A drop needs no traffic now: no traffic at all is the worst drop.
  TrafficDrop: { verdict: trafficVerdict, enough: () => true },
};

/** The three findings a workload's figures can make, each with its verdict and how it reads. */
const RULES = SIGNAL_FIGURES.map((figure) => ({ ...figure, ...JUDGES[figure.reason] }));

/** Turns each workload's figures into findings: HighErrorRate, HighLatency, TrafficDrop. */
export function evaluateSignals(
  workloads: readonly WorkloadSignals[],
  data: Pick<SignalsData, 'source' | 'atMs' | 'windowMs'>,
  thresholds: SignalThresholds,
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const signals of workloads) {
    for (const rule of RULES) {
      const figure = signals[rule.figure];
      if (figure.now === undefined || !rule.enough(signals, data.windowMs, thresholds)) continue;
      const judge = (value: number) => rule.verdict(value, figure.baseline, thresholds);
      const verdict = judge(figure.now);
      if (verdict)
        findings.push(
          finding(
            signals,
            data,
            verdict,
            rule.reason,
            figure,
            rule.format,
            rule.label,
            (v) => judge(v) !== undefined,
            thresholds,
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
  thresholds: SignalThresholds,
): DraftFinding {
  // The window's own start when the points do not say (a direct scrape has no history): it dates
  // the finding for the suspects, but is no start, so the title gives the window instead.
  const crossedMs = crossedSince(figure.points, crosses);
  const sinceMs = crossedMs ?? data.atMs - data.windowMs;
  // Crossing from the first point of the history (its 30 minutes, or all a young Prometheus has):
  // the data begins there, the signal may have crossed long before.
  const fromFirstPoint = crossedMs !== undefined && crossedMs === figure.points[0]?.[0];
  const when =
    crossedMs === undefined
      ? `over the last ${Math.round(data.windowMs / 1000)} s`
      : `since ${formatClockSeconds(crossedMs)}${fromFirstPoint ? ' or earlier (the first point of the data)' : ''}`;
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
    title: `${describeRef(signals.workload)}: ${label} ${now}${drop} (${baseline}) ${when}`,
    workload: signals.workload,
    objects: [signals.workload],
    since: new Date(sinceMs).toISOString(),
    firstFailureMs: sinceMs,
    ...(crossedMs === undefined || fromFirstPoint ? { firstSeenOnly: true } : {}),
    evidence: [
      ...evidenceOf(signals, data, figure, format, label),
      ...(reason === 'HighErrorRate' && baselineFailing(figure.baseline, thresholds)
        ? [
            `its baseline (${format(figure.baseline ?? 0)}) is itself over ${format(thresholds.errorRatio)}, so it is judged by that threshold alone: the failure reaches into the baseline hour, or the service fails this much all the time`,
          ]
        : []),
    ],
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
  const since =
    data.source.kind === 'scrape' && signals.requestRate.baseline !== undefined
      ? "; the request rate baseline is each pod's average since its process started, but for pods a scale-up added"
      : '';
  lines.push(
    `measured ${describeSource(data)}, via ${signals.via}, over the last ${Math.round(data.windowMs / 1000)} s${since}`,
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
