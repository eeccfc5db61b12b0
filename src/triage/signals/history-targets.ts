import { errorRatioVerdict, latencyVerdict, type SignalThresholds, trafficVerdict } from './signal-thresholds.js';
import type { SeriesTarget, SignalSeries } from './signal-types.js';

/** As many rows as the text report's signals table shows. */
export const HISTORY_SHOWN = 8;

interface TargetFigures {
  profile: string | undefined;
  target: SeriesTarget;
  requests?: SignalSeries;
  errors?: SignalSeries;
  latency?: SignalSeries;
}

/**
 * The targets whose last 30 minutes are worth asking for: each one whose own figures cross a
 * threshold (their findings date from the history), and the worst few by 5xx ratio, then p99 (the
 * rows the text report shows with a sparkline). A range query over every workload of a large
 * cluster costs Prometheus seconds; over these, next to nothing.
 */
export function historyTargets(
  series: readonly SignalSeries[],
  thresholds: SignalThresholds,
  shown = HISTORY_SHOWN,
): { profile: string | undefined; target: SeriesTarget }[] {
  const byTarget = new Map<string, TargetFigures>();
  for (const s of series) {
    const key = `${s.profile ?? ''}|${targetKey(s.target)}`;
    const figures = byTarget.get(key) ?? { profile: s.profile, target: s.target };
    figures[s.query] = s;
    byTarget.set(key, figures);
  }
  const busy = [...byTarget.values()].filter((f) => (f.requests?.now ?? 0) > 0 || f.requests?.baseline !== undefined);
  const ratio = (f: TargetFigures, field: 'now' | 'baseline') => {
    const requests = f.requests?.[field];
    return requests === undefined || !(requests > 0) ? undefined : (f.errors?.[field] ?? 0) / requests;
  };
  const crosses = (f: TargetFigures) => {
    const now = ratio(f, 'now');
    const rate = f.requests?.now;
    const judged = rate !== undefined && rate >= thresholds.minRequestRate;
    return (
      (judged && now !== undefined && errorRatioVerdict(now, ratio(f, 'baseline'), thresholds) !== undefined) ||
      (judged &&
        f.latency?.now !== undefined &&
        latencyVerdict(f.latency.now, f.latency.baseline, thresholds) !== undefined) ||
      (rate !== undefined && trafficVerdict(rate, f.requests?.baseline, thresholds) !== undefined)
    );
  };
  const worst = busy
    .filter((f) => (f.requests?.now ?? 0) > 0)
    .sort((a, b) => (ratio(b, 'now') ?? 0) - (ratio(a, 'now') ?? 0) || (b.latency?.now ?? 0) - (a.latency?.now ?? 0))
    .slice(0, shown);
  const chosen = new Set([...busy.filter(crosses), ...worst]);
  return [...chosen].map(({ profile, target }) => ({ profile, target }));
}

export function targetKey(target: SeriesTarget): string {
  return `${target.namespace}|${target.service ?? ''}|${target.pod ?? ''}|${target.workload ?? ''}`;
}
