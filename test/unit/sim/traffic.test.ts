import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { createControllers } from '../../../src/sim/controllers/index.js';
import { applyScenario, loadScenario, scenarioHistoryMs } from '../../../src/sim/scenario.js';
import { renderClusterMetrics, renderPodMetrics } from '../../../src/sim/traffic/exposition.js';
import { LATENCY_BUCKETS, latencyDistribution } from '../../../src/sim/traffic/latency.js';
import { type PodTraffic, TrafficMeter } from '../../../src/sim/traffic/meter.js';
import { requestRate, saturationSlowdown, trafficProfile } from '../../../src/sim/traffic/profile.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';
import { deployment, node } from '../../helpers/sim-fixtures.js';

/** What Prometheus' histogram_quantile computes from cumulative bucket counts (the +Inf bucket last). */
function histogramQuantile(q: number, buckets: readonly number[], total: number): number {
  const rank = q * total;
  const k = buckets.findIndex((c) => c >= rank);
  if (k < 0) return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1]!;
  const lo = k === 0 ? 0 : LATENCY_BUCKETS[k - 1]!;
  const below = k === 0 ? 0 : buckets[k - 1]!;
  return lo + ((LATENCY_BUCKETS[k]! - lo) * (rank - below)) / (buckets[k]! - below);
}

function errorRatio(t: Pick<PodTraffic, 'requests'>): number {
  const total = t.requests.reduce((sum, r) => sum + r.count, 0);
  const errors = t.requests.filter((r) => r.code.startsWith('5')).reduce((sum, r) => sum + r.count, 0);
  return errors / total;
}

function pod(annotations: Record<string, string> = {}): SimObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', uid: 'u', annotations } };
}

function service(name: string, annotations?: Record<string, string>): SimObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'payments', annotations },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

describe('latency histogram', () => {
  it.each([0.005, 0.008, 0.04, 0.15, 0.3, 1.5, 4, 9])('histogram_quantile(0.99) reads a p99 of %s s back', (p99) => {
    const { cumulative, meanSeconds } = latencyDistribution(p99);
    for (let i = 1; i < cumulative.length; i++) expect(cumulative[i]!).toBeGreaterThanOrEqual(cumulative[i - 1]!);
    expect(cumulative[cumulative.length - 1]!).toBeLessThanOrEqual(1);
    expect(histogramQuantile(0.99, cumulative, 1)).toBeCloseTo(p99, 6);
    // The median sits well under the p99, and the mean between them.
    expect(histogramQuantile(0.5, cumulative, 1)).toBeLessThan(p99 * 0.6);
    expect(meanSeconds).toBeLessThan(p99);
  });

  it('clamps a p99 outside the buckets to the first or last bound', () => {
    expect(histogramQuantile(0.99, latencyDistribution(30).cumulative, 1)).toBeCloseTo(10, 6);
    expect(histogramQuantile(0.99, latencyDistribution(0.001).cumulative, 1)).toBeCloseTo(0.005, 6);
  });
});

describe('traffic profiles', () => {
  it('healthy pods fail a few in a thousand within 150 ms; errors and slow have their defaults', () => {
    expect(trafficProfile(pod())).toEqual({ errorRatio: 0.002, p99Seconds: 0.15 });
    expect(trafficProfile(pod({ 'sim.inc.dev/behavior': 'errors' }))).toEqual({ errorRatio: 0.3, p99Seconds: 0.15 });
    expect(trafficProfile(pod({ 'sim.inc.dev/behavior': 'slow' }))).toEqual({ errorRatio: 0.002, p99Seconds: 1.5 });
  });

  it('reads sim.inc.dev/error-rate and sim.inc.dev/latency-ms, ignoring values out of range', () => {
    const tuned = pod({
      'sim.inc.dev/behavior': 'errors',
      'sim.inc.dev/error-rate': '0.85',
      'sim.inc.dev/latency-ms': '400',
    });
    expect(trafficProfile(tuned)).toEqual({ errorRatio: 0.85, p99Seconds: 0.4 });
    const wrong = pod({
      'sim.inc.dev/behavior': 'errors',
      'sim.inc.dev/error-rate': '3',
      'sim.inc.dev/latency-ms': 'x',
    });
    expect(trafficProfile(wrong)).toEqual({ errorRatio: 0.3, p99Seconds: 0.15 });
  });

  it('slows a pod down as its CPU nears the limit: ten times at the limit, unchanged under 80 %', () => {
    expect(saturationSlowdown(undefined)).toBe(1);
    expect(saturationSlowdown(0.5)).toBe(1);
    expect(saturationSlowdown(0.8)).toBe(1);
    expect(saturationSlowdown(0.9)).toBeCloseTo(3.25, 6);
    expect(saturationSlowdown(1)).toBe(10);
    expect(saturationSlowdown(1.4)).toBe(10);
    expect(trafficProfile(pod(), 1).p99Seconds).toBeCloseTo(1.5, 6);
  });

  it("takes a Service's rate from its annotation, else the scenario's, else 20/s", () => {
    const rates = { defaultRate: 5, services: { 'payments/api': 60 } };
    expect(requestRate(service('api'))).toBe(20);
    expect(requestRate(service('api'), rates)).toBe(60);
    expect(requestRate(service('web'), rates)).toBe(5);
    expect(requestRate(service('api', { 'sim.inc.dev/request-rate': '7.5' }), rates)).toBe(7.5);
  });
});

describe('the traffic meter', () => {
  const ref = { namespace: 'payments', pod: 'api-1', uid: 'u1' };
  const profile = { errorRatio: 0.3, p99Seconds: 1.5 };

  it('counts the same whatever the step: ratios and quantiles do not depend on the speed', () => {
    const fine = new TrafficMeter();
    for (let i = 0; i < 1000; i++) fine.record(ref, 'api', 60.6, profile);
    const coarse = new TrafficMeter();
    coarse.record(ref, 'api', 60_600, profile);
    const [a] = fine.read();
    const [b] = coarse.read();
    expect(Math.abs(a!.count - b!.count)).toBeLessThanOrEqual(1);
    expect(b!.count).toBe(60_600);
    expect(errorRatio(a!)).toBeCloseTo(0.3, 2);
    expect(errorRatio(b!)).toBeCloseTo(0.3, 2);
    for (const t of [a!, b!]) expect(histogramQuantile(0.99, t.buckets, t.count)).toBeCloseTo(1.5, 2);
    expect(a!.requests.map((r) => `${r.code} ${r.method}`).sort()).toEqual([
      '200 GET',
      '200 POST',
      '500 GET',
      '500 POST',
    ]);
  });

  it('reads per real second at a speed: counts divided by it, fractions kept, ratios and quantiles unchanged', () => {
    const meter = new TrafficMeter();
    // 100 s of simulated time at 20.5 requests a second, which took 10 real seconds at speed 10.
    meter.record(ref, 'api', 2050, profile);
    const [simulated] = meter.read();
    const [real] = meter.read(undefined, 10);
    expect(simulated!.count).toBe(2050);
    expect(real!.count).toBeCloseTo(205, 9);
    expect(real!.sum).toBeCloseTo(simulated!.sum / 10, 9);
    // Whole counts divided, then floored, would lose the tail that the p99 is read from.
    expect(real!.buckets.some((count) => !Number.isInteger(count))).toBe(true);
    expect(errorRatio(real!)).toBeCloseTo(0.3, 9);
    expect(histogramQuantile(0.99, real!.buckets, real!.count)).toBeCloseTo(1.5, 2);
    // At speed 1 the amounts are the simulated ones, exact; a frozen clock (speed 0) has no real pace.
    expect(meter.read(undefined, 1)[0]!.count).toBeCloseTo(2050, 9);
    expect(meter.read(undefined, 0)[0]!.count).toBeCloseTo(2050, 9);
  });

  it('drops the series of pods that are gone', () => {
    const meter = new TrafficMeter();
    meter.record(ref, 'api', 10, profile);
    meter.record({ ...ref, pod: 'api-2', uid: 'u2' }, 'api', 10, profile);
    meter.retain((r) => r.uid === 'u2');
    expect(meter.read().map((t) => t.pod)).toEqual(['api-2']);
  });
});

describe('the traffic controller', () => {
  function cluster(replicas: number, templateAnnotations: Record<string, string> = {}): FakeClusterState {
    const state = new FakeClusterState();
    state.create(node('node-1', '8', '32Gi'));
    const api = deployment({ replicas, behavior: 'errors' });
    const template = (api.spec as { template: { metadata: { annotations: Record<string, string> } } }).template;
    Object.assign(template.metadata.annotations, templateAnnotations);
    state.create(api);
    state.create(service('api'));
    return state;
  }

  function play(state: FakeClusterState, meter: TrafficMeter, ms: number, stepMs: number): void {
    const controllers = createControllers({ traffic: { meter, rates: { services: { 'payments/api': 30 } } } });
    state.advance(ms, controllers, stepMs);
  }

  it("spreads a Service's rate evenly over its ready endpoints, on the simulated clock", () => {
    const state = cluster(3);
    const meter = new TrafficMeter();
    play(state, meter, 60_000, 1000);
    const before = meter.read();
    expect(before.map((t) => t.service)).toEqual(['api', 'api', 'api']);
    play(state, meter, 100_000, 1000);
    const after = meter.read();
    const served = after.map((t, i) => t.count - before[i]!.count);
    // 30 requests/s for 100 s, a third each.
    for (const count of served) expect(count).toBeGreaterThanOrEqual(999);
    for (const count of served) expect(count).toBeLessThanOrEqual(1001);
    for (const t of after) expect(errorRatio(t)).toBeCloseTo(0.3, 2);
  });

  it('counts the same traffic whether time passes in small or large steps', () => {
    const totals = [250, 5000].map((step) => {
      const state = cluster(2);
      const meter = new TrafficMeter();
      play(state, meter, 30_000, 1000);
      const start = meter.read().reduce((sum, t) => sum + t.count, 0);
      play(state, meter, 60_000, step);
      return meter.read().reduce((sum, t) => sum + t.count, 0) - start;
    });
    expect(Math.abs(totals[0]! - totals[1]!)).toBeLessThanOrEqual(2);
    expect(totals[0]!).toBeGreaterThanOrEqual(1798);
  });

  it('sends nothing to pods that are not ready', () => {
    const state = cluster(2, { 'sim.inc.dev/behavior': 'not-ready' });
    const meter = new TrafficMeter();
    play(state, meter, 120_000, 1000);
    expect(meter.read()).toEqual([]);
  });
});

describe('traffic-spike: pods near their CPU limit are slower until scaled out', () => {
  it('has a p99 several times the baseline at 3 replicas and the baseline at 6', () => {
    const scenario = loadScenario('traffic-spike');
    const state = new FakeClusterState(new Date(Date.parse('2026-03-01T12:00:00Z') - scenarioHistoryMs(scenario)));
    const meter = new TrafficMeter();
    const controllers = createControllers({ traffic: { meter, rates: scenario.traffic } });
    applyScenario(scenario, { state, advance: (ms, step) => state.advance(ms, controllers, step) });
    const p99 = (from: PodTraffic[], to: PodTraffic[]) => {
      const web = (list: PodTraffic[]) => list.filter((t) => t.service === 'web');
      const buckets = LATENCY_BUCKETS.map((_, i) =>
        web(to).reduce((sum, t) => sum + t.buckets[i]! - (web(from).find((f) => f.uid === t.uid)?.buckets[i] ?? 0), 0),
      );
      const total = web(to).reduce((sum, t) => sum + t.count - (web(from).find((f) => f.uid === t.uid)?.count ?? 0), 0);
      return histogramQuantile(0.99, buckets, total);
    };
    const before = meter.read();
    state.advance(60_000, controllers, 1000);
    expect(p99(before, meter.read())).toBeGreaterThan(0.6);

    const web = structuredClone(state.get('Deployment', 'shop', 'web')!);
    (web.spec as { replicas: number }).replicas = 6;
    state.update(web);
    state.advance(120_000, controllers, 1000);
    const scaled = meter.read();
    state.advance(60_000, controllers, 1000);
    expect(p99(scaled, meter.read())).toBeCloseTo(0.15, 2);
  });
});

describe('exposition', () => {
  it('writes the Prometheus text format with identity labels at the cluster URL and without on a pod', async () => {
    const meter = new TrafficMeter();
    meter.record({ namespace: 'payments', pod: 'api-1', uid: 'u1' }, 'api', 100, { errorRatio: 0.3, p99Seconds: 1.5 });
    const restarting: SimObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'payments', uid: 'u1' },
      status: {
        containerStatuses: [
          { name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          { name: 'proxy', restartCount: 0, state: { running: {} } },
        ],
      },
    };
    const cluster = await renderClusterMetrics(meter.read(), [restarting]);
    // kube-state-metrics' waiting reason: one series per waiting container, none for a running one.
    expect(cluster).toContain(
      'kube_pod_container_status_waiting_reason{namespace="payments",pod="api-1",uid="u1",container="api",reason="CrashLoopBackOff"} 1',
    );
    expect(cluster).not.toMatch(/waiting_reason\{[^}]*container="proxy"/);
    expect(cluster).toContain('# TYPE http_requests_total counter');
    expect(cluster).toContain('# TYPE http_request_duration_seconds histogram');
    expect(cluster).toContain(
      'http_requests_total{namespace="payments",pod="api-1",service="api",code="500",method="GET"} 24',
    );
    expect(cluster).toContain(
      'http_request_duration_seconds_bucket{namespace="payments",pod="api-1",service="api",le="+Inf"} 100',
    );
    expect(cluster).toContain(
      'http_request_duration_seconds_count{namespace="payments",pod="api-1",service="api"} 100',
    );
    expect(cluster).toContain(
      'kube_pod_container_status_restarts_total{namespace="payments",pod="api-1",uid="u1",container="api"} 4',
    );
    meter.record({ namespace: 'payments', pod: 'api-1', uid: 'u1' }, 'api-canary', 50, {
      errorRatio: 0,
      p99Seconds: 0.1,
    });
    const own = await renderPodMetrics(meter.read((r) => r.uid === 'u1'));
    expect(own).toContain('http_requests_total{code="500",method="GET"} 24');
    expect(own).toContain('http_requests_total{code="200",method="GET"} 96');
    expect(own).toContain('http_request_duration_seconds_count 150');
    expect(own).not.toContain('namespace=');
    // Stamped with the simulated instant the counts reach, every sample line and no comment.
    const stamped = await renderPodMetrics(
      meter.read((r) => r.uid === 'u1'),
      1_700_000_000_500,
    );
    expect(stamped).toContain('http_requests_total{code="500",method="GET"} 24 1700000000500\n');
    expect(stamped).toContain('http_request_duration_seconds_count 150 1700000000500\n');
    expect(stamped).toMatch(/^# TYPE http_requests_total counter$/m);
    // The process's start, as client libraries export it, so its counters' average since can be told.
    const started = await renderPodMetrics(
      meter.read((r) => r.uid === 'u1'),
      undefined,
      1_700_000_000_900,
    );
    expect(started).toMatch(/^# TYPE process_start_time_seconds gauge$/m);
    expect(started).toContain('\nprocess_start_time_seconds 1700000000\n');
    expect(own).not.toContain('process_start_time_seconds');
  });
});

describe("the ingress controller's counts", () => {
  it('are kept per Service and status, read whole or per real second, and exported as ingress-nginx labels them', async () => {
    const meter = new TrafficMeter();
    meter.ingress.record('payments', 'api', '504', 90.5);
    meter.ingress.record('payments', 'api', '504', 9.5);
    meter.ingress.record('payments', 'api', '200', 0);
    meter.ingress.record('shop', 'web', '200', 40.4);
    expect(meter.ingress.read()).toEqual([
      { namespace: 'payments', service: 'api', status: '504', count: 100 },
      { namespace: 'shop', service: 'web', status: '200', count: 40 },
    ]);
    expect(meter.ingress.read(20)[0]?.count).toBe(5);
    const text = await renderClusterMetrics([], [], meter.ingress.read());
    expect(text).toMatch(/^# TYPE nginx_ingress_controller_requests counter$/m);
    expect(text).toContain(
      'nginx_ingress_controller_requests{namespace="ingress-nginx",exported_namespace="payments",service="api",status="504"} 100',
    );
    meter.ingress.retain((namespace) => namespace === 'shop');
    expect(meter.ingress.read().map((c) => c.service)).toEqual(['web']);
    expect(await renderClusterMetrics([], [])).not.toContain('nginx_ingress_controller_requests');
  });
});
