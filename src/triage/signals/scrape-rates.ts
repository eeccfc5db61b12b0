import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Point } from './signal-types.js';

/** What one scrape of a pod says about its HTTP traffic: counters since the process started. */
export interface TrafficSample {
  requests: number;
  errors: number;
  /** Cumulative bucket counts of http_request_duration_seconds, all label sets added up. */
  buckets: Map<number, number>;
  /** When the pod says its counts were taken (the samples' timestamps, ms), if it stamps them. */
  stampMs?: number;
  /** When its process started (`process_start_time_seconds`, ms): the counters count from then. */
  startedMs?: number;
}

/** Per-second rates between two samples of one pod. */
export interface TrafficRates {
  requests: number;
  errors: number;
  buckets: Point[];
}

/**
 * Reads the client-library HTTP metrics from a scrape (the Prometheus text format): requests and
 * 5xx from `http_requests_total{code}`, latency buckets from `http_request_duration_seconds`.
 * Undefined when the pod exposes neither.
 */
export function readTrafficSample(text: string): TrafficSample | undefined {
  // The parser drops a last sample that is not followed by a newline.
  const families = parsePrometheusTextFormat(text.endsWith('\n') ? text : `${text}\n`);
  const requests = families.find((f) => f.name === 'http_requests_total' || f.name === 'http_requests');
  const duration = families.find((f) => f.name === 'http_request_duration_seconds' && f.type === 'HISTOGRAM');
  if (!requests && !duration) return undefined;
  const sample: TrafficSample = { requests: 0, errors: 0, buckets: new Map() };
  const started = Number(families.find((f) => f.name === 'process_start_time_seconds')?.metrics[0]?.value);
  if (started > 0) sample.startedMs = started * 1000;
  for (const metric of requests?.metrics ?? []) {
    const value = Number(metric.value);
    if (!Number.isFinite(value)) continue;
    const stamp = Number(metric.timestamp_ms);
    if (metric.timestamp_ms !== undefined && Number.isFinite(stamp))
      sample.stampMs = Math.max(sample.stampMs ?? 0, stamp);
    sample.requests += value;
    if (/^5\d\d$/.test(metric.labels?.code ?? metric.labels?.status ?? '')) sample.errors += value;
  }
  for (const metric of duration?.metrics ?? []) {
    for (const [bound, count] of Object.entries(metric.buckets ?? {})) {
      const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
      const value = Number(count);
      if (Number.isNaN(le) || !Number.isFinite(value)) continue;
      sample.buckets.set(le, (sample.buckets.get(le) ?? 0) + value);
    }
  }
  return sample;
}

/**
 * Rates from two samples `seconds` apart, as PromQL's rate() treats counters: a counter lower in
 * the second sample restarted (the pod's process did), so its whole value is the increase.
 */
export function ratesBetween(first: TrafficSample, second: TrafficSample, seconds: number): TrafficRates | undefined {
  if (!(seconds > 0)) return undefined;
  const increase = (a: number, b: number) => (b >= a ? b - a : b);
  return {
    requests: increase(first.requests, second.requests) / seconds,
    errors: increase(first.errors, second.errors) / seconds,
    buckets: [...second.buckets]
      .map(([le, count]): Point => [le, increase(first.buckets.get(le) ?? 0, count) / seconds])
      .sort((a, b) => a[0] - b[0]),
  };
}

/**
 * Seconds between two samples: by the pod's own clock when both are stamped and it moved (a
 * simulated or replayed clock need not run at the scraper's pace), else by the scraper's.
 */
export function secondsBetween(first: TrafficSample, second: TrafficSample, scraperSeconds: number): number {
  const stamped =
    first.stampMs !== undefined && second.stampMs !== undefined ? (second.stampMs - first.stampMs) / 1000 : 0;
  return stamped > 0 ? stamped : scraperSeconds;
}

/** A pod sampled this soon after its process started has no average worth comparing with. */
const MIN_LIFETIME_MS = 60_000;

/**
 * The pod's average request rate from its process's start to the sample (its counters count from
 * then): what a direct scrape, which has no history, can compare the current rate with. Undefined
 * when the pod does not say when it started, or started too recently to tell.
 */
export function averageRateSinceStart(sample: TrafficSample, sampledAtMs: number): number | undefined {
  if (sample.startedMs === undefined) return undefined;
  const lifetimeMs = (sample.stampMs ?? sampledAtMs) - sample.startedMs;
  return lifetimeMs >= MIN_LIFETIME_MS ? sample.requests / (lifetimeMs / 1000) : undefined;
}
