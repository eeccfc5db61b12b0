import { historyTargets, targetKey } from '../signals/history-targets.js';
import { groupLabels, renderQuery, type SignalProfile, targetOf } from '../signals/signal-profiles.js';
import type { SignalThresholds } from '../signals/signal-thresholds.js';
import {
  type Point,
  type RawQuery,
  SIGNAL_QUERIES,
  type SignalQuery,
  type SignalSeries,
  type SignalsData,
  type SignalsSourceInfo,
} from '../signals/signal-types.js';
import { type PrometheusApi, PrometheusError, type PromSeries } from './prometheus-api.js';

/** The sparkline's span, its resolution, and the range of each of its points. */
const HISTORY_MS = 30 * 60_000;
const STEP_SECONDS = 15;
const POINT_WINDOW_SECONDS = 60;
const BASELINE_MS = 3_600_000;
const PRESENCE_SECONDS = 300;

export interface PrometheusSignalsOptions {
  profiles: readonly SignalProfile[];
  /** undefined: all namespaces. */
  namespace: string | undefined;
  /** "Now" (ms) when Prometheus does not say (its own clock is used: it timestamps the samples). */
  atMs: number;
  windowMs: number;
  /** The baseline is the hour before this (default: the window's start), e.g. the incident's impact start. */
  baselineEndMs?: number;
  source: Omit<SignalsSourceInfo, 'profiles'>;
  /** Which targets' history is asked for: those that cross them, and the worst few. */
  thresholds: SignalThresholds;
}

/**
 * Asks Prometheus for the signals: which profiles' metrics exist (one query), then per signal of
 * each such profile one query for now and one for the baseline, all at once; then the last 30
 * minutes of the targets worth a history (those crossing a threshold, the worst few), one range
 * query per signal. Every query covers all its workloads at once.
 */
export async function fetchPrometheusSignals(
  api: PrometheusApi,
  options: PrometheusSignalsOptions,
): Promise<SignalsData> {
  const raw: RawQuery[] = [];
  const { present, atMs } = await presentProfiles(api, options, raw);
  const table = new SeriesTable();
  const windowSeconds = options.windowMs / 1000;
  const baselineEnd = Math.min(options.baselineEndMs ?? atMs - options.windowMs, atMs - options.windowMs);
  const each = (job: (profile: SignalProfile, query: SignalQuery, name: string) => Promise<void>) =>
    Promise.all(
      present.flatMap((profile) => SIGNAL_QUERIES.map((query) => job(profile, query, `${profile.name}/${query}`))),
    );
  await each(async (profile, query, name) => {
    const render = (seconds: number, offset = 0) =>
      renderQuery(profile.queries[query], profile, {
        windowSeconds: seconds,
        offsetSeconds: offset,
        namespace: options.namespace,
      });
    const now = render(windowSeconds);
    const offsetSeconds = (atMs - baselineEnd) / 1000;
    const baseline =
      query === 'latency'
        ? render(BASELINE_MS / 1000, offsetSeconds)
        : averagedOverBaseline(now, windowSeconds, offsetSeconds);
    await Promise.all([
      api.query(now, atMs).then((result) => {
        raw.push({ name: `${name}/now`, query: now, result });
        for (const s of result) table.assign(profile, query, s.metric, 'now', sampleValue(s));
      }),
      api.query(baseline, atMs).then((result) => {
        raw.push({ name: `${name}/baseline`, query: baseline, result });
        for (const s of result) table.assign(profile, query, s.metric, 'baseline', sampleValue(s));
      }),
    ]);
  });
  if (present.length > 0 && !table.all().some((s) => s.query === 'requests' && s.now !== undefined))
    await refuseShortWindow(api, present, windowSeconds);
  const wanted = historyTargets(table.all(), options.thresholds);
  await each(async (profile, query, name) => {
    const targets = wanted.filter((w) => w.profile === profile.name).map((w) => w.target);
    if (targets.length === 0) return;
    const template = profile.queries[query];
    // A template of the config without {{match}} cannot be narrowed: it is asked whole.
    const range = renderQuery(template, profile, {
      windowSeconds: POINT_WINDOW_SECONDS,
      namespace: options.namespace,
      ...(template.includes('{{match}}') ? { targets } : {}),
    });
    const keys = new Set(targets.map(targetKey));
    const result = await api.queryRange(range, atMs - HISTORY_MS, atMs, STEP_SECONDS);
    raw.push({ name: `${name}/range`, query: range, result });
    for (const s of result) {
      const target = targetOf(profile, s.metric);
      if (target && keys.has(targetKey(target))) table.setPoints(profile, query, s.metric, s);
    }
  });
  return {
    source: { ...options.source, profiles: present.map((p) => p.name) },
    windowMs: options.windowMs,
    atMs,
    hasBaseline: true,
    series: markPartialWindows(table.all(), atMs - HISTORY_MS, POINT_WINDOW_SECONDS * 1000),
    raw: raw.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * A rate's baseline: the average of the window's own rate over the baseline hour, where Prometheus
 * has data. One rate over the hour divides by the whole hour, so a workload (or a Prometheus)
 * younger than an hour read as a fraction of its traffic: 20/s as 2.7/s, a spike that never was.
 * The latency quantile is a ratio of buckets, right over any part of the hour: it is asked whole.
 */
function averagedOverBaseline(now: string, windowSeconds: number, offsetSeconds: number): string {
  const window = Math.max(1, Math.round(windowSeconds));
  const span = Math.max(window, Math.round(BASELINE_MS / 1000) - window);
  const offset = offsetSeconds ? ` offset ${Math.round(offsetSeconds)}s` : '';
  return `avg_over_time((${now})[${span}s:${window}s]${offset})`;
}

/**
 * A request series that begins inside the history (a Prometheus, or a scrape target, younger than
 * it) has its first points rated over a window that reaches before its first sample: Prometheus
 * divides what it saw by the whole window, so the rate climbs from a fraction to the real one in
 * the first minute (2.7/s, 7.8/s, 12.8/s, 17.8/s, then 20/s). Such a series says from when its
 * points are whole; a ratio of two partial ones (the 5xx ratio) is still right.
 */
export function markPartialWindows(series: SignalSeries[], historyStartMs: number, windowMs: number): SignalSeries[] {
  return series.map((s) => {
    const first = s.points[0]?.[0];
    if (s.query !== 'requests' || first === undefined || first <= historyStartMs + STEP_SECONDS * 1000) return s;
    return { ...s, wholeFromMs: first + windowMs };
  });
}

/** The series answered so far, one per profile, signal and target; latency in seconds. */
class SeriesTable {
  private readonly series = new Map<string, SignalSeries>();

  assign(
    profile: SignalProfile,
    query: SignalQuery,
    labels: Record<string, string>,
    field: 'now' | 'baseline',
    value: number | undefined,
  ): void {
    const target = this.entry(profile, query, labels);
    if (target && value !== undefined) target[field] = value * scaleOf(profile, query);
  }

  setPoints(profile: SignalProfile, query: SignalQuery, labels: Record<string, string>, series: PromSeries): void {
    const target = this.entry(profile, query, labels);
    if (target) target.points = pointsOf(series, scaleOf(profile, query));
  }

  all(): SignalSeries[] {
    return [...this.series.values()];
  }

  private entry(profile: SignalProfile, query: SignalQuery, labels: Record<string, string>) {
    const target = targetOf(profile, labels);
    if (!target) return undefined;
    const key = `${profile.name}|${query}|${targetKey(target)}`;
    let found = this.series.get(key);
    if (!found) {
      found = { query, target, profile: profile.name, points: [] };
      this.series.set(key, found);
    }
    return found;
  }
}

function scaleOf(profile: SignalProfile, query: SignalQuery): number {
  return query === 'latency' && profile.latencyUnit === 'ms' ? 0.001 : 1;
}

/** The profiles whose request metric Prometheus has: one query for all of them. */
async function presentProfiles(
  api: PrometheusApi,
  options: PrometheusSignalsOptions,
  raw: RawQuery[],
): Promise<{ present: SignalProfile[]; atMs: number }> {
  const names = [...new Set(options.profiles.map((p) => p.metric))];
  // Over the window, not the last sample: one failed scrape marks a target's series stale, and an
  // instant selector would then find no metric at all, while the rates over the window still hold.
  // At least five minutes: a window shorter than the scrape interval may hold no sample at all.
  const window = `${Math.max(PRESENCE_SECONDS, Math.round(options.windowMs / 1000))}s`;
  const query = `count by (__name__) (last_over_time({__name__=~"${names.join('|')}"}[${window}]))`;
  // Asked at the server's "now": its answer's timestamp is the instant every other query uses.
  const result = await api.query(query);
  raw.push({ name: 'profiles', query, result });
  const found = new Set(result.map((s) => s.metric.__name__));
  const stamp = result[0]?.value?.[0];
  const candidates = options.profiles.filter((p) => found.has(p.metric) && groupLabels(p).length > 0);
  const present = await labelledProfiles(api, candidates, window, raw);
  if (candidates.length > 0 && present.length === 0) throw await unlabelled(api, candidates, window);
  return { present, atMs: stamp === undefined ? options.atMs : Math.round(stamp * 1000) };
}

/**
 * No request rate at all while the metrics are there: when no series holds two samples in the
 * window (Prometheus scrapes less often than it lasts), no rate can be measured, and saying "no
 * traffic" would read as healthy. Throws then; returns when the workloads are truly quiet.
 */
async function refuseShortWindow(api: PrometheusApi, present: readonly SignalProfile[], windowSeconds: number) {
  const window = `${Math.max(1, Math.round(windowSeconds))}s`;
  const query = present
    .flatMap((p) => targetSelectors(p).map((selector) => `max(count_over_time(${p.metric}{${selector}}[${window}]))`))
    .join(' or ');
  const result = await api.query(query);
  const samples = Math.max(0, ...result.map((s) => Number(s.value?.[1]) || 0));
  if (samples < 2)
    throw new PrometheusError(
      `${api.name} holds ${samples === 0 ? 'no sample of any series' : 'one sample at most of each series'} in the last ${window}: it scrapes less often, so no rate can be measured over a ${window} window. Give a window of a few scrape intervals, e.g. --window 1m`,
    );
}

/** Each profile's namespace label, with the Service, pod or workload label beside it. */
function targetSelectors(profile: SignalProfile): string[] {
  const [namespace, ...others] = groupLabels(profile);
  return others.map((label) => `${namespace}!="", ${label}!=""`);
}

/**
 * The profiles whose metric has series that name a target: a Prometheus that relabels the
 * namespace (`kubernetes_namespace`) has the metric, but no series any workload could be found by.
 */
async function labelledProfiles(
  api: PrometheusApi,
  candidates: readonly SignalProfile[],
  window: string,
  raw: RawQuery[],
): Promise<SignalProfile[]> {
  // `or` matches series without their name: each part carries its profile's as a label.
  const parts = candidates.flatMap((p) =>
    targetSelectors(p).map(
      (selector) =>
        `label_replace(count(last_over_time(${p.metric}{${selector}}[${window}])), "profile", "${p.name.replace(/["\\]/g, '')}", "", "")`,
    ),
  );
  if (parts.length === 0) return [];
  const query = parts.join(' or ');
  const result = await api.query(query);
  raw.push({ name: 'profiles/labelled', query, result });
  const labelled = new Set(result.map((s) => s.metric.profile));
  return candidates.filter((p) => labelled.has(p.name.replace(/["\\]/g, '')));
}

/** The error of a Prometheus whose request metrics carry none of the labels inc reads: named, with the labels they do carry. */
async function unlabelled(api: PrometheusApi, candidates: readonly SignalProfile[], window: string): Promise<Error> {
  const first = candidates[0] as SignalProfile;
  const sample = await api.query(`topk(1, last_over_time(${first.metric}[${window}]))`).catch(() => []);
  const carried = Object.keys(sample[0]?.metric ?? {})
    .filter((label) => label !== '__name__')
    .sort();
  const wanted = candidates.map((p) => `${p.metric} by ${groupLabels(p).join(' and ')}`).join(', ');
  return new PrometheusError(
    `${api.name} has ${candidates.map((p) => p.metric).join(', ')}, but no series that names a workload: inc reads ${wanted}` +
      (carried.length ? `; its series carry ${carried.join(', ')}` : '') +
      '. Name the labels of this Prometheus in signals.profiles of the config',
  );
}

function sampleValue(series: PromSeries): number | undefined {
  const value = Number(series.value?.[1]);
  return Number.isFinite(value) ? value : undefined;
}

function pointsOf(series: PromSeries, scale: number): Point[] {
  return (series.values ?? [])
    .map(([at, value]): Point => [Math.round(at * 1000), Number(value) * scale])
    .filter(([, value]) => Number.isFinite(value));
}
