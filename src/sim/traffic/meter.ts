/**
 * The traffic meter: request counters and latency histograms per pod and Service, accumulated on the
 * simulated clock. Amounts are kept exact (fractions of a request included) and read out whole, so the
 * 5xx ratio and the quantiles are the pods' profiles whatever the simulator's speed; read per real
 * second (`read(filter, speed)`), the rates are too.
 */
import { IngressMeter } from './ingress-meter.js';
import { LATENCY_BUCKETS, latencyDistribution } from './latency.js';
import type { TrafficProfile } from './profile.js';

/** Requests split by method, as a typical API sees them. */
const METHODS = [
  ['GET', 0.8],
  ['POST', 0.2],
] as const;

export interface PodRef {
  namespace: string;
  pod: string;
  uid: string;
}

export interface RequestCount {
  code: string;
  method: string;
  count: number;
}

/** One pod's traffic through one Service, read out whole. */
export interface PodTraffic extends PodRef {
  service: string;
  requests: RequestCount[];
  /** Cumulative counts at or under each of LATENCY_BUCKETS; `count` is the `+Inf` bucket. */
  buckets: number[];
  sum: number;
  count: number;
}

interface Accumulator extends PodRef {
  service: string;
  /** By `code method`. */
  requests: Map<string, number>;
  buckets: number[];
  sum: number;
  count: number;
}

export class TrafficMeter {
  /** The simulated instant up to which traffic was counted (undefined before the first pass). */
  countedUntil: number | undefined;
  /** The ingress controller's counts of the same requests, per Service. */
  readonly ingress = new IngressMeter();
  private readonly accumulators = new Map<string, Accumulator>();
  private readonly distributions = new Map<number, ReturnType<typeof latencyDistribution>>();

  /** Counts `requests` (may be fractional) served by a pod through a Service with the given profile. */
  record(ref: PodRef, service: string, requests: number, profile: TrafficProfile): void {
    if (!(requests > 0)) return;
    const key = `${ref.uid}/${service}`;
    let acc = this.accumulators.get(key);
    if (!acc) {
      acc = { ...ref, service, requests: new Map(), buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.accumulators.set(key, acc);
    }
    for (const [method, share] of METHODS) {
      add(acc.requests, `500 ${method}`, requests * share * profile.errorRatio);
      add(acc.requests, `200 ${method}`, requests * share * (1 - profile.errorRatio));
    }
    const latency = this.distribution(profile.p99Seconds);
    for (let i = 0; i < acc.buckets.length; i++) acc.buckets[i]! += requests * latency.cumulative[i]!;
    acc.sum += requests * latency.meanSeconds;
    acc.count += requests;
  }

  /** Drops the series of pods that no longer exist, as their targets disappear from a real scrape. */
  retain(exists: (ref: PodRef) => boolean): void {
    for (const [key, acc] of this.accumulators) if (!exists(acc)) this.accumulators.delete(key);
  }

  /**
   * Every pod's traffic, ordered by namespace, pod and Service, read out whole as a client library
   * counts requests. `perRealSecond` (the simulator's speed, simulated seconds per real second)
   * divides the amounts by it and keeps their fractions: counters that grow at the profiles' rates
   * per real second, exact enough for ratios and quantiles over a few seconds, as a scraper that
   * stamps samples with its own clock reads them.
   */
  read(filter?: (ref: PodRef) => boolean, perRealSecond?: number): PodTraffic[] {
    // A frozen clock (speed 0) has no pace to divide by: its amounts stay per simulated second.
    const scale = perRealSecond === undefined || !(perRealSecond > 0) ? 1 : 1 / perRealSecond;
    const out = (amount: number) => (perRealSecond === undefined ? Math.floor(amount) : amount * scale);
    return [...this.accumulators.values()]
      .filter((acc) => !filter || filter(acc))
      .sort((a, b) => `${a.namespace}/${a.pod}/${a.service}`.localeCompare(`${b.namespace}/${b.pod}/${b.service}`))
      .map((acc) => ({
        namespace: acc.namespace,
        pod: acc.pod,
        uid: acc.uid,
        service: acc.service,
        requests: [...acc.requests].map(([key, value]) => {
          const [code, method] = key.split(' ') as [string, string];
          return { code, method, count: out(value) };
        }),
        buckets: acc.buckets.map(out),
        sum: acc.sum * scale,
        count: out(acc.count),
      }));
  }

  private distribution(p99Seconds: number) {
    // Profiles take few distinct values (one per behaviour and load level), so their histograms are kept.
    const key = Math.round(p99Seconds * 1e6);
    let found = this.distributions.get(key);
    if (!found) {
      found = latencyDistribution(p99Seconds);
      if (this.distributions.size > 1000) this.distributions.clear();
      this.distributions.set(key, found);
    }
    return found;
  }
}

function add(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}
