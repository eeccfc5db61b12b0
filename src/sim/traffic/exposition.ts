/**
 * The Prometheus text format of the simulated pods' metrics, written by prom-client's registry.
 * The values are computed by the traffic meter rather than observed one request at a time, so each
 * metric is a small object that prom-client's registry reads (`get`) and formats, escaping included.
 */
import { type Metric, Registry } from 'prom-client';
import type { SimObject } from '../cluster-state.js';
import type { Dict } from '../controllers/util.js';
import type { IngressCount } from './ingress-meter.js';
import { LATENCY_BUCKETS } from './latency.js';
import type { PodTraffic } from './meter.js';

type Labels = Record<string, string>;
interface Value {
  value: number;
  labels: Labels;
  metricName?: string;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Every pod's series, labelled with `namespace`, `pod` and `service`, plus kube-state-metrics' restarts
 * and waiting reasons (what alerting rules on crash loops and image pulls read).
 */
export function renderClusterMetrics(
  traffic: readonly PodTraffic[],
  pods: readonly SimObject[],
  ingress: readonly IngressCount[] = [],
): Promise<string> {
  const registry = new Registry();
  register(
    registry,
    trafficMetrics(traffic, (t) => ({ namespace: t.namespace, pod: t.pod, service: t.service })),
  );
  register(registry, [restartsMetric(pods), waitingReasonMetric(pods)]);
  if (ingress.length) register(registry, [ingressMetric(ingress)]);
  return registry.metrics();
}

/**
 * One pod's own series, as its /metrics endpoint serves them: no identity labels, all Services summed.
 * With `countedAtMs`, every sample carries that timestamp (the simulated instant the counts reach), as
 * the text format allows: a scraper then measures rates on the simulated clock, whatever its speed.
 * With `startedAtMs`, the process's start as client libraries export it (`process_start_time_seconds`):
 * its counters count from then, so a scraper can tell their average rate since.
 */
export async function renderPodMetrics(
  traffic: readonly PodTraffic[],
  countedAtMs?: number,
  startedAtMs?: number,
): Promise<string> {
  const registry = new Registry();
  register(
    registry,
    trafficMetrics(sumOverServices(traffic), () => ({})),
  );
  if (startedAtMs !== undefined)
    register(registry, [
      {
        name: 'process_start_time_seconds',
        help: 'Start time of the process since unix epoch in seconds.',
        type: 'gauge',
        values: [{ value: Math.floor(startedAtMs / 1000), labels: {} }],
      },
    ]);
  const text = await registry.metrics();
  return countedAtMs === undefined ? text : text.replace(/^([^#\n].*)$/gm, `$1 ${Math.floor(countedAtMs)}`);
}

interface ComputedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram' | 'gauge';
  values: Value[];
}

function register(registry: Registry, metrics: ComputedMetric[]): void {
  for (const metric of metrics) {
    const { values, ...meta } = metric;
    const computed = { ...meta, aggregator: 'sum', get: async () => ({ ...meta, aggregator: 'sum', values }) };
    registry.registerMetric(computed as unknown as Metric);
  }
}

function trafficMetrics(traffic: readonly PodTraffic[], identity: (t: PodTraffic) => Labels): ComputedMetric[] {
  const requests: Value[] = [];
  const latency: Value[] = [];
  for (const t of traffic) {
    const id = identity(t);
    for (const r of t.requests) requests.push({ value: r.count, labels: { ...id, code: r.code, method: r.method } });
    LATENCY_BUCKETS.forEach((bound, i) => {
      latency.push({
        metricName: 'http_request_duration_seconds_bucket',
        value: t.buckets[i]!,
        labels: { ...id, le: String(bound) },
      });
    });
    latency.push({ metricName: 'http_request_duration_seconds_bucket', value: t.count, labels: { ...id, le: '+Inf' } });
    latency.push({ metricName: 'http_request_duration_seconds_sum', value: t.sum, labels: id });
    latency.push({ metricName: 'http_request_duration_seconds_count', value: t.count, labels: id });
  }
  return [
    {
      name: 'http_requests_total',
      help: 'Requests served, by status code and method.',
      type: 'counter',
      values: requests,
    },
    {
      name: 'http_request_duration_seconds',
      help: 'Request latency in seconds.',
      type: 'histogram',
      values: latency,
    },
  ];
}

/**
 * ingress-nginx's request counter as a Prometheus that scraped the controller labels it: `namespace`
 * is the controller's (the target's), `exported_namespace` the backend Service's.
 */
function ingressMetric(counts: readonly IngressCount[]): ComputedMetric {
  return {
    name: 'nginx_ingress_controller_requests',
    help: 'The total number of client requests',
    type: 'counter',
    values: counts.map((c) => ({
      value: c.count,
      labels: { namespace: 'ingress-nginx', exported_namespace: c.namespace, service: c.service, status: c.status },
    })),
  };
}

function restartsMetric(pods: readonly SimObject[]): ComputedMetric {
  const values = containerStatuses(pods).map(({ labels, status }) => ({
    value: Number(status.restartCount ?? 0),
    labels,
  }));
  return {
    name: 'kube_pod_container_status_restarts_total',
    help: 'The number of container restarts per container.',
    type: 'counter',
    values,
  };
}

/** As kube-state-metrics: 1 for each container waiting, labelled with the reason (CrashLoopBackOff, …). */
function waitingReasonMetric(pods: readonly SimObject[]): ComputedMetric {
  const values: Value[] = [];
  for (const { labels, status } of containerStatuses(pods)) {
    const reason = ((status.state as Dict | undefined)?.waiting as Dict | undefined)?.reason;
    if (typeof reason === 'string' && reason) values.push({ value: 1, labels: { ...labels, reason } });
  }
  return {
    name: 'kube_pod_container_status_waiting_reason',
    help: 'Describes the reason the container is currently in waiting state.',
    type: 'gauge',
    values,
  };
}

function containerStatuses(pods: readonly SimObject[]): { labels: Labels; status: Dict }[] {
  return pods.flatMap((pod) =>
    ((((pod.status ?? {}) as Dict).containerStatuses as Dict[] | undefined) ?? []).map((status) => ({
      status,
      labels: {
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        uid: pod.metadata.uid ?? '',
        container: String(status.name),
      },
    })),
  );
}

function sumOverServices(traffic: readonly PodTraffic[]): PodTraffic[] {
  if (traffic.length <= 1) return [...traffic];
  const [first, ...rest] = traffic as [PodTraffic, ...PodTraffic[]];
  const requests = new Map(first.requests.map((r) => [`${r.code} ${r.method}`, { ...r }]));
  const total = { ...first, requests: [] as PodTraffic['requests'], buckets: [...first.buckets] };
  for (const t of rest) {
    for (const r of t.requests) {
      const key = `${r.code} ${r.method}`;
      const existing = requests.get(key);
      if (existing) existing.count += r.count;
      else requests.set(key, { ...r });
    }
    for (const [i, count] of t.buckets.entries()) total.buckets[i]! += count;
    total.sum += t.sum;
    total.count += t.count;
  }
  total.requests = [...requests.values()];
  return [total];
}
