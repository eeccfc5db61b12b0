import { listChanges } from '../changes.js';
import { selectorMatches } from '../checks/services.js';
import type { Pod } from '../k8s.js';
import type { OwnerIndex } from '../owners.js';
import { describeRef } from '../owners.js';
import { allPods, type Snapshot } from '../snapshot.js';
import type { ObjectRef } from '../types.js';
import { histogramQuantile } from './histogram-quantile.js';
import { type ServingPod, wholeWorkloadRate } from './sample-share.js';
import type { Figure, Point, SeriesTarget, SignalSeries, SignalsData, WorkloadSignals } from './signal-types.js';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

interface Resolved {
  workload: ObjectRef;
  via: string;
}

/**
 * Puts the series on the workloads people know: a Service's series on the workload that owns most
 * of the pods it selects, a pod's on its owner; the figures of one workload are added up.
 * Series of targets outside the snapshot (another namespace, a Service without pods) are left out.
 */
export function workloadSignals(data: SignalsData, snapshot: Snapshot, owners: OwnerIndex): WorkloadSignals[] {
  const resolve = resolver(snapshot, owners);
  const scaledUpAt = lastScaleUps(data, snapshot);
  const serving = servingByWorkload(data, resolve);
  const groups = new Map<string, { resolved: Resolved; series: SignalSeries[]; vias: Set<string> }>();
  for (const series of data.series) {
    const resolved = resolve(series.target);
    if (!resolved) continue;
    const key = describeRef(resolved.workload);
    const group = groups.get(key) ?? { resolved, series: [], vias: new Set<string>() };
    group.series.push(series);
    group.vias.add(resolved.via);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ resolved, series: all, vias }) => {
    // Two profiles measuring one workload (client library and Istio) would count its requests twice.
    const profile = data.source.profiles.find((name) => all.some((s) => s.profile === name));
    const series = profile ? all.filter((s) => s.profile === undefined || s.profile === profile) : all;
    const of = (query: SignalSeries['query']) => series.filter((s) => s.query === query);
    const requestRate = baselineBeforeScaleUp(
      sumFigures(of('requests')),
      of('requests'),
      scaledUpAt(resolved.workload),
    );
    const errorRate = sumFigures(of('errors'));
    const { read, ...whole } = wholeWorkloadRate(
      requestRate,
      of('requests'),
      serving.get(describeRef(resolved.workload)) ?? [],
      scaledUpAt(resolved.workload),
    );
    return {
      workload: resolved.workload,
      via: read ? `${read.pods} of its ${read.of} pods` : describeVia([...vias]),
      requestRate: wholePoints(whole, of('requests')),
      errorRatio: data.hasBaseline
        ? ratioFigure(errorRate, requestRate)
        : noBaseline(ratioFigure(errorRate, requestRate)),
      p99Seconds: latencyFigure(of('latency')),
    };
  });
}

/**
 * A direct scrape's request-rate baseline, the sum of its pods' averages since start, leaves out
 * the pods started after the workload last scaled up (by hand or by an autoscaler, not a rollout):
 * they have averaged over that time alone, a spike perhaps, while the pods before served all the
 * traffic, and would make a drop of one that is not. Pods that replaced others as they went keep
 * their average (the same share of the traffic). Series that do not say when their pod started (a
 * Prometheus baseline) are added up as they are.
 */
export function baselineBeforeScaleUp(
  figure: Figure,
  requests: readonly SignalSeries[],
  scaledUpAt: number | undefined,
): Figure {
  if (scaledUpAt === undefined || !requests.some((s) => s.startedMs !== undefined)) return figure;
  const baselines = requests
    .filter((s) => s.startedMs === undefined || s.startedMs < scaledUpAt)
    .map((s) => s.baseline)
    .filter((value): value is number => value !== undefined && Number.isFinite(value));
  const { baseline: _all, ...rest } = figure;
  return baselines.length ? { ...rest, baseline: baselines.reduce((a, b) => a + b, 0) } : rest;
}

/** A direct scrape's serving pods, read or not, by the workload they belong to. */
function servingByWorkload(
  data: SignalsData,
  resolve: (target: SeriesTarget) => Resolved | undefined,
): Map<string, ServingPod[]> {
  const byWorkload = new Map<string, ServingPod[]>();
  for (const pod of data.sampledFrom ?? []) {
    const resolved = resolve(pod.target);
    if (!resolved) continue;
    const key = describeRef(resolved.workload);
    const pods = byWorkload.get(key) ?? [];
    pods.push({ startedMs: pod.startedMs });
    byWorkload.set(key, pods);
  }
  return byWorkload;
}

/** When each workload last scaled up (not a rollout), for a direct scrape's baselines. */
function lastScaleUps(data: SignalsData, snapshot: Snapshot): (ref: ObjectRef) => number | undefined {
  if (!data.series.some((s) => s.startedMs !== undefined)) return () => undefined;
  const scales = listChanges(snapshot, data.atMs, DAY_MS).filter((change) => change.kind === 'scale');
  return (ref) =>
    scales
      .filter(
        (c) => c.workload.namespace === ref.namespace && c.workload.name === ref.name && c.workload.kind === ref.kind,
      )
      .reduce<number | undefined>(
        (latest, c) => (latest === undefined || c.atMs > latest ? c.atMs : latest),
        undefined,
      );
}

const DAY_MS = 24 * 3600_000;

/** The request rate's points from when every series adding to them is rated over whole windows. */
function wholePoints(figure: Figure, requests: readonly SignalSeries[]): Figure {
  const from = Math.max(...requests.map((s) => s.wholeFromMs ?? Number.NEGATIVE_INFINITY));
  return from === Number.NEGATIVE_INFINITY ? figure : { ...figure, points: figure.points.filter(([at]) => at >= from) };
}

/** A direct scrape's request-rate baseline (average since start) makes no error-ratio baseline. */
function noBaseline(figure: Figure): Figure {
  return { now: figure.now, points: figure.points };
}

function resolver(snapshot: Snapshot, owners: OwnerIndex): (target: SeriesTarget) => Resolved | undefined {
  const cache = new Map<string, Resolved | undefined>();
  const podsByKey = new Map(allPods(snapshot).map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  const podsByNamespace = new Map<string, Pod[]>();
  for (const pod of allPods(snapshot)) {
    const list = podsByNamespace.get(pod.metadata.namespace ?? '') ?? [];
    list.push(pod);
    podsByNamespace.set(pod.metadata.namespace ?? '', list);
  }
  const viaService = (namespace: string, name: string): Resolved | undefined => {
    const service = snapshot.services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
    const selector = service?.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return undefined;
    const counts = new Map<string, { ref: ObjectRef; count: number }>();
    for (const pod of podsByNamespace.get(namespace) ?? []) {
      if (pod.status?.phase === 'Succeeded') continue;
      if (!selectorMatches(selector, pod.metadata.labels)) continue;
      const ref = owners.workloadOf(pod).ref;
      const entry = counts.get(describeRef(ref)) ?? { ref, count: 0 };
      entry.count += 1;
      counts.set(describeRef(ref), entry);
    }
    const best = [...counts.values()].sort((a, b) => b.count - a.count)[0];
    return best ? { workload: best.ref, via: `service ${namespace}/${name}` } : undefined;
  };
  return (target) => {
    const key = `${target.namespace}/${target.service ?? ''}/${target.pod ?? ''}/${target.workload ?? ''}`;
    if (cache.has(key)) return cache.get(key);
    let resolved: Resolved | undefined;
    if (target.workload) {
      const kind = WORKLOAD_KINDS.find((k) => owners.find(k, target.namespace, target.workload ?? ''));
      resolved = kind
        ? { workload: { kind, namespace: target.namespace, name: target.workload }, via: 'workload' }
        : undefined;
    } else if (target.pod) {
      const pod = podsByKey.get(`${target.namespace}/${target.pod}`);
      resolved = pod ? { workload: owners.workloadOf(pod).ref, via: 'pod' } : undefined;
    } else if (target.service) {
      resolved = viaService(target.namespace, target.service);
    }
    cache.set(key, resolved);
    return resolved;
  };
}

function describeVia(vias: string[]): string {
  const pods = vias.filter((via) => via === 'pod').length;
  const named = vias.filter((via) => via !== 'pod' && via !== 'workload');
  return named.length ? named.join(', ') : pods ? 'its pods' : 'its metrics';
}

/** Adds series up: values present in any series count, missing ones count as nothing. */
export function sumFigures(series: readonly SignalSeries[]): Figure {
  const sum = (values: (number | undefined)[]) => {
    const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
  };
  const points = new Map<number, number>();
  for (const s of series) for (const [at, value] of s.points) points.set(at, (points.get(at) ?? 0) + value);
  return {
    now: sum(series.map((s) => s.now)),
    baseline: sum(series.map((s) => s.baseline)),
    points: sortPoints(points),
  };
}

/** 5xx / all, point by point; no 5xx series at all means a ratio of zero wherever there is traffic. */
export function ratioFigure(errors: Figure, requests: Figure): Figure {
  const ratio = (e: number | undefined, r: number | undefined) =>
    r === undefined || !(r > 0) ? undefined : Math.min(1, (e ?? 0) / r);
  const errorAt = new Map(errors.points);
  return {
    now: ratio(errors.now, requests.now),
    baseline: ratio(errors.baseline, requests.baseline),
    points: requests.points
      .filter(([, r]) => r > 0)
      .map(([at, r]): Point => [at, Math.min(1, (errorAt.get(at) ?? 0) / r)]),
  };
}

/**
 * p99 of a workload: from the summed bucket rates when the series carry buckets (pods scraped
 * directly), else the highest of the series' p99s (several Services in front of one workload).
 */
export function latencyFigure(series: readonly SignalSeries[]): Figure {
  const withBuckets = series.filter((s) => s.buckets?.length);
  if (withBuckets.length) {
    const summed = new Map<number, number>();
    for (const s of withBuckets) for (const [le, rate] of s.buckets ?? []) summed.set(le, (summed.get(le) ?? 0) + rate);
    return { now: histogramQuantile(0.99, [...summed]), points: [] };
  }
  const max = (values: (number | undefined)[]) => {
    const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return present.length ? Math.max(...present) : undefined;
  };
  const points = new Map<number, number>();
  for (const s of series)
    for (const [at, value] of s.points)
      if (Number.isFinite(value)) points.set(at, Math.max(points.get(at) ?? 0, value));
  return {
    now: max(series.map((s) => s.now)),
    baseline: max(series.map((s) => s.baseline)),
    points: sortPoints(points),
  };
}

function sortPoints(points: Map<number, number>): Point[] {
  return [...points].sort((a, b) => a[0] - b[0]);
}
