import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../../../src/triage/analyze.js';
import type { Endpoints, Service } from '../../../../src/triage/k8s.js';
import { triageReportSchema } from '../../../../src/triage/report-schema.js';
import { DEFAULT_THRESHOLDS } from '../../../../src/triage/signals/signal-thresholds.js';
import type { Point, SignalSeries, SignalsData } from '../../../../src/triage/signals/signal-types.js';
import type { SignalsOutcome } from '../../../../src/triage/signals/signals-outcome.js';
import type { CheckName } from '../../../../src/triage/types.js';
import { deployment, event, nowMs, pod, replicaSet, snapshotWith } from '../fixtures.js';

const MINUTE = 60_000;
const CHECKS: CheckName[] = ['pods', 'rollouts', 'services', 'signals'];

/** payments/api rolled out 2.3.1 ten minutes ago; its pods are healthy, behind service payments/api. */
function healthyRollout() {
  const api = deployment('payments', 'api');
  const oldRs = replicaSet(api, 'old111', { revision: 1, image: 'api:2.3.0', createdMinutesAgo: 600 });
  const newRs = replicaSet(api, 'new222', {
    revision: 2,
    image: 'api:2.3.1',
    createdMinutesAgo: 10,
    changeCause: 'deploy api 2.3.1',
  });
  const pods = [1, 2, 3].map((i) =>
    pod(`api-new222-${i}`, { owner: newRs, hash: 'new222', labels: { app: 'api' }, startedMinutesAgo: 9 }),
  );
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'payments' },
    spec: { selector: { app: 'api' } },
  };
  const endpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'api', namespace: 'payments' },
    subsets: [
      { addresses: pods.map((p, i) => ({ ip: `10.0.0.${i + 1}`, targetRef: { kind: 'Pod', name: p.metadata.name } })) },
    ],
  };
  return snapshotWith({
    deployments: [api],
    replicasets: [oldRs, newRs],
    pods,
    services: [service],
    endpoints: [endpoints],
  });
}

/** Points every 15 s over the last 30 minutes: `before` until `switchAt`, then `after`. */
function points(before: number, after: number, switchAt: number): Point[] {
  const out: Point[] = [];
  for (let at = nowMs - 30 * MINUTE; at <= nowMs; at += 15_000) out.push([at, at < switchAt ? before : after]);
  return out;
}

function prometheusData(series: Omit<SignalSeries, 'target' | 'profile'>[]): SignalsData {
  return {
    source: { kind: 'prometheus', name: 'http://prometheus:9090', profiles: ['client-library'] },
    windowMs: 5 * MINUTE,
    atMs: nowMs,
    hasBaseline: true,
    series: series.map((s) => ({ ...s, target: { namespace: 'payments', service: 'api' }, profile: 'client-library' })),
    raw: [{ name: 'client-library/errors/now', query: 'sum by …', result: [] }],
  };
}

function scrapeData(name: string, series: SignalSeries[]): SignalsData {
  return {
    source: { kind: 'scrape', name, profiles: ['client-library'] },
    windowMs: 10_000,
    atMs: nowMs,
    hasBaseline: false,
    series,
    raw: [],
  };
}

const analyze = (signals: SignalsOutcome | undefined) =>
  analyzeSnapshot(healthyRollout(), { checks: CHECKS, sinceMs: 3600_000, elapsed: () => 0, signals });

describe('the signals check', () => {
  const errorsSince = nowMs - 10 * MINUTE + 40_000;
  const badDeploy = prometheusData([
    { query: 'requests', now: 20, baseline: 19.8, points: points(20, 20, 0) },
    { query: 'errors', now: 3.6, baseline: 0.04, points: points(0.04, 3.6, errorsSince) },
    { query: 'latency', now: 0.12, baseline: 0.11, points: points(0.11, 0.12, 0) },
  ]);

  it('finds a 5xx ratio far above its baseline, dates it, blames the rollout and suggests a rollback', () => {
    const analysis = analyze({ kind: 'data', data: badDeploy, thresholds: DEFAULT_THRESHOLDS });
    const finding = analysis.findings.find((f) => f.reason === 'HighErrorRate');
    expect(finding).toMatchObject({
      id: 'signals/HighErrorRate/payments/Deployment/api',
      severity: 'critical',
      check: 'signals',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      since: new Date(errorsSince + 5000).toISOString(),
      suggestion: { playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } },
    });
    expect(finding?.title).toBe('deployment payments/api: 5xx ratio 18 % (baseline 0.2 %) since 14:20:45');
    expect(finding?.evidence[0]).toMatch(/^5xx ratio, last 30 min: ▁+\S?█+ 18 %$/);
    expect(finding?.evidence).toContain(
      'requests 20.0/s (baseline 19.8/s), 5xx 18 % (baseline 0.2 %), p99 120 ms (baseline 110 ms)',
    );
    expect(analysis.suspects[0]).toMatchObject({
      workload: { kind: 'Deployment', name: 'api' },
      change: expect.stringMatching(/revision 2/),
    });
    expect(analysis.findings.some((f) => f.reason === 'HighLatency' || f.reason === 'TrafficDrop')).toBe(false);
    expect(analysis.checks.find((c) => c.check === 'signals')?.status).toBe('ok');
  });

  it('still finds the 5xx ratio of a bad deploy whose errors fill a third of the baseline hour', () => {
    // Twenty minutes of 18 % in the baseline hour: a 6 % baseline, more than a third of the ratio now.
    const data = prometheusData([
      { query: 'requests', now: 20, baseline: 19.8, points: points(20, 20, 0) },
      { query: 'errors', now: 3.6, baseline: 1.2, points: points(0.04, 3.6, nowMs - 20 * MINUTE) },
    ]);
    const analysis = analyze({ kind: 'data', data, thresholds: DEFAULT_THRESHOLDS });
    const finding = analysis.findings.find((f) => f.reason === 'HighErrorRate');
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toBe('deployment payments/api: 5xx ratio 18 % (baseline 6.1 %) since 14:10:00');
    expect(finding?.evidence).toContain(
      'its baseline (6.1 %) is itself over 5.0 %, so it is judged by that threshold alone: the failure reaches into the baseline hour, or the service fails this much all the time',
    );
  });

  it('puts the figures and points in the report, within the JSON contract', () => {
    const analysis = analyze({ kind: 'data', data: badDeploy, thresholds: DEFAULT_THRESHOLDS });
    expect(analysis.signals?.workloads[0]).toMatchObject({
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      via: 'service payments/api',
      requestRate: { now: 20, baseline: 19.8 },
      errorRatio: { now: 0.18 },
    });
    expect(analysis.signals?.workloads[0]?.errorRatio.points).toHaveLength(121);
    const report = {
      schemaVersion: 1,
      context: 'test',
      complete: true,
      namespaces: 'all',
      startedAt: new Date(nowMs).toISOString(),
      durationMs: 1,
      summary: { critical: 1, warning: 0, info: 0 },
      headline: 'x',
      findings: analysis.findings,
      suspects: analysis.suspects,
      checks: analysis.checks,
      signals: analysis.signals,
    };
    expect(() => triageReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
  });

  it('finds a latency regression and a traffic drop against the baseline', () => {
    const data = prometheusData([
      { query: 'requests', now: 6, baseline: 20, points: points(20, 6, nowMs - 4 * MINUTE) },
      { query: 'latency', now: 1.4, baseline: 0.14, points: points(0.14, 1.4, nowMs - 8 * MINUTE) },
    ]);
    const analysis = analyze({ kind: 'data', data, thresholds: DEFAULT_THRESHOLDS });
    const latency = analysis.findings.find((f) => f.reason === 'HighLatency');
    expect(latency?.title).toBe('deployment payments/api: p99 latency 1.40 s (baseline 140 ms) since 14:22:00');
    expect(latency?.severity).toBe('critical');
    expect(latency?.suggestion?.playbook).toBe('rollback');
    const drop = analysis.findings.find((f) => f.reason === 'TrafficDrop');
    expect(drop?.title).toBe('deployment payments/api: request rate 6.0/s, down 70 % (baseline 20.0/s) since 14:26:00');
    expect(drop?.severity).toBe('warning');
  });

  it('does not date a signal that crosses from the first point of its history to that point', () => {
    // 5xx from the first point on: the failure began then or before (a rollout 40 minutes ago).
    const data = prometheusData([
      { query: 'requests', now: 20, baseline: 19.8, points: points(20, 20, 0) },
      { query: 'errors', now: 3.6, baseline: 0.04, points: points(3.6, 3.6, 0) },
    ]);
    const analysis = analyze({ kind: 'data', data, thresholds: DEFAULT_THRESHOLDS });
    const finding = analysis.findings.find((f) => f.reason === 'HighErrorRate');
    expect(finding?.title).toBe(
      'deployment payments/api: 5xx ratio 18 % (baseline 0.2 %) since 14:00:00 or earlier (the first point of the data)',
    );
  });

  it('judges by the absolute thresholds alone without history (a direct scrape)', () => {
    const data: SignalsData = {
      source: { kind: 'scrape', name: '3 pods', profiles: ['client-library'] },
      windowMs: 10_000,
      atMs: nowMs,
      hasBaseline: false,
      series: [1, 2, 3].flatMap((i): SignalSeries[] => {
        const target = { namespace: 'payments', pod: `api-new222-${i}` };
        return [
          { query: 'requests', target, now: 7, points: [] },
          { query: 'errors', target, now: 2.1, points: [] },
          {
            query: 'latency',
            target,
            points: [],
            buckets: [
              [0.1, 6.5],
              [0.5, 7],
              [Number.POSITIVE_INFINITY, 7],
            ],
          },
        ];
      }),
      raw: [],
    };
    const analysis = analyze({ kind: 'data', data, thresholds: DEFAULT_THRESHOLDS });
    const finding = analysis.findings.find((f) => f.reason === 'HighErrorRate');
    // A scrape has no history: the window, not a start the pods never told.
    expect(finding?.title).toBe('deployment payments/api: 5xx ratio 30 % (no baseline yet) over the last 10 s');
    expect(finding?.evidence).toContain('requests 21.0/s, 5xx 30 %, p99 444 ms');
    expect(analysis.signals?.workloads[0]?.via).toBe('its pods');
    expect(analysis.findings.some((f) => f.reason === 'HighLatency')).toBe(false);
  });

  it('does not call a handful of failed requests a high error rate (2 of 39 in a short sample)', () => {
    const sample = (errors: number, requests: number): SignalsData =>
      scrapeData('3 pods', [
        { query: 'requests', target: { namespace: 'payments', pod: 'api-new222-1' }, now: requests / 2, points: [] },
        { query: 'errors', target: { namespace: 'payments', pod: 'api-new222-1' }, now: errors / 2, points: [] },
      ]);
    const twoSeconds = (data: SignalsData): SignalsData => ({ ...data, windowMs: 2000 });
    const few = analyze({ kind: 'data', data: twoSeconds(sample(2, 39)), thresholds: DEFAULT_THRESHOLDS });
    expect(few.signals?.workloads[0]?.errorRatio.now).toBeCloseTo(2 / 39);
    expect(few.findings.filter((f) => f.reason === 'HighErrorRate')).toEqual([]);
    // Three failures are enough, and the threshold is the config's.
    const three = analyze({ kind: 'data', data: twoSeconds(sample(3, 39)), thresholds: DEFAULT_THRESHOLDS });
    expect(three.findings.find((f) => f.reason === 'HighErrorRate')?.severity).toBe('critical');
    const strict = { ...DEFAULT_THRESHOLDS, minFailedRequests: 10 };
    const notEnough = analyze({ kind: 'data', data: twoSeconds(sample(3, 39)), thresholds: strict });
    expect(notEnough.findings.filter((f) => f.reason === 'HighErrorRate')).toEqual([]);
  });

  it("finds a traffic drop by a direct scrape against the pods' average since start, and points at the policy", () => {
    const snapshot = healthyRollout();
    const api = snapshot.deployments[0]!;
    api.spec!.template = { ...api.spec!.template, metadata: { labels: { app: 'api' } } };
    snapshot.networkPolicies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'restrict-api',
        namespace: 'payments',
        creationTimestamp: new Date(nowMs - 5 * MINUTE).toISOString(),
      },
      spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
    });
    const data = scrapeData(
      '3 pods',
      [1, 2, 3].flatMap((i): SignalSeries[] => {
        const target = { namespace: 'payments', pod: `api-new222-${i}` };
        return [
          { query: 'requests', target, now: 0, baseline: 6, points: [] },
          { query: 'errors', target, now: 0, points: [] },
        ];
      }),
    );
    const analysis = analyzeSnapshot(snapshot, {
      checks: CHECKS,
      sinceMs: 3600_000,
      elapsed: () => 0,
      signals: { kind: 'data', data, thresholds: DEFAULT_THRESHOLDS },
    });
    const drop = analysis.findings.find((f) => f.reason === 'TrafficDrop');
    expect(drop?.title).toBe(
      'deployment payments/api: request rate 0.00/s, down 100 % (baseline 18.0/s) over the last 10 s',
    );
    expect(analysis.suspects.map((suspect) => suspect.why)).toContainEqual(
      expect.stringMatching(/^4m before it was measured: deployment payments\/api: request rate 0\.00\/s/),
    );
    expect(drop?.evidence).toContain(
      "measured by scraping 3 pods directly (client-library), via its pods, over the last 10 s; the request rate baseline is each pod's average since its process started, but for pods a scale-up added",
    );
    expect(drop?.suggestion?.command).toBe('inc run netpol-revert --set namespace=payments --set policy=restrict-api');
    expect(drop?.evidence).toContain(
      'NetworkPolicy payments/restrict-api selects its pods and changed at 14:25: revert it',
    );
    expect(analysis.suspects[0]).toMatchObject({
      workload: { kind: 'NetworkPolicy', namespace: 'payments', name: 'restrict-api' },
      why: expect.stringContaining('it selects the pods of deployment payments/api'),
    });
  });

  it('leaves the pods a scale-up added out of the baseline: they averaged over the spike only', () => {
    const snapshot = healthyRollout();
    const api = snapshot.deployments[0]!;
    const newRs = snapshot.replicasets[1]!;
    const scaled = [4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) =>
      pod(`api-new222-${i}`, { owner: newRs, hash: 'new222', labels: { app: 'api' }, startedMinutesAgo: 3 }),
    );
    snapshot.pods.push(...scaled);
    const ref = { kind: 'Deployment', namespace: 'payments', name: 'api', uid: api.metadata.uid };
    snapshot.events.push(
      event(ref, 'ScalingReplicaSet', {
        type: 'Normal',
        message: 'Scaled up replica set api-new222 to 12 from 3',
        firstMinutesAgo: 3.5,
        lastMinutesAgo: 3.5,
      }),
    );
    // 60/s before a spike to 180/s, which added nine pods; the spike is over: 60/s over twelve pods.
    const series = (i: number, started: number, baseline: number): SignalSeries[] => {
      const target = { namespace: 'payments', pod: `api-new222-${i}` };
      return [
        { query: 'requests', target, now: 5, baseline, startedMs: nowMs - started * MINUTE, points: [] },
        { query: 'errors', target, now: 0, points: [] },
      ];
    };
    const data = scrapeData('12 pods', [
      ...[1, 2, 3].flatMap((i) => series(i, 9, 20)),
      ...[4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((i) => series(i, 3, 15)),
    ]);
    const analyze = (snapshot: ReturnType<typeof healthyRollout>) =>
      analyzeSnapshot(snapshot, {
        checks: CHECKS,
        sinceMs: 3600_000,
        elapsed: () => 0,
        signals: { kind: 'data', data, thresholds: DEFAULT_THRESHOLDS },
      });
    const analysis = analyze(snapshot);
    expect(analysis.findings.filter((f) => f.reason === 'TrafficDrop').map((f) => f.title)).toEqual([]);
    expect(analysis.signals?.workloads[0]?.requestRate).toMatchObject({ now: 60, baseline: 60 });
    // Without a scale-up, pods started later replaced others: every average counts.
    snapshot.events.length = 0;
    expect(analyze(snapshot).signals?.workloads[0]?.requestRate).toMatchObject({ now: 60, baseline: 195 });
  });

  it("gives a direct scrape no error-ratio baseline, even with the request rate's", () => {
    const target = { namespace: 'payments', pod: 'api-new222-1' };
    const data = scrapeData('1 pod', [
      { query: 'requests', target, now: 7, baseline: 7, points: [] },
      { query: 'errors', target, now: 2.1, points: [] },
    ]);
    const analysis = analyze({ kind: 'data', data, thresholds: DEFAULT_THRESHOLDS });
    expect(analysis.signals?.workloads[0]?.errorRatio).toEqual({ now: 0.3, points: [] });
    expect(analysis.findings.find((f) => f.reason === 'HighErrorRate')?.title).toMatch(
      /5xx ratio 30 % \(no baseline yet\)/,
    );
  });

  it('is a failed check, not a failed triage, when the source failed; skipped without one', () => {
    const failed = analyze({ kind: 'failed', error: 'Prometheus http://prometheus:9090 unreachable: ECONNREFUSED' });
    expect(failed.checks.find((c) => c.check === 'signals')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(failed.checks.filter((c) => c.status === 'ok').map((c) => c.check)).toEqual([
      'pods',
      'rollouts',
      'services',
    ]);
    expect(failed.signals).toBeUndefined();
    const none = analyze({ kind: 'unavailable', reason: 'no Prometheus' });
    expect(none.checks.find((c) => c.check === 'signals')?.status).toBe('skipped');
  });

  it('leaves quiet workloads and series of targets outside the snapshot alone', () => {
    const quiet = prometheusData([
      { query: 'requests', now: 0.01, points: [] },
      { query: 'errors', now: 0.01, points: [] },
    ]);
    const signalsFindings = (outcome: SignalsOutcome) => analyze(outcome).findings.filter((f) => f.check === 'signals');
    expect(signalsFindings({ kind: 'data', data: quiet, thresholds: DEFAULT_THRESHOLDS })).toEqual([]);
    const elsewhere = {
      ...badDeploy,
      series: badDeploy.series.map((s) => ({ ...s, target: { namespace: 'shop', service: 'web' } })),
    };
    const analysis = analyze({ kind: 'data', data: elsewhere, thresholds: DEFAULT_THRESHOLDS });
    expect(analysis.findings.filter((f) => f.check === 'signals')).toEqual([]);
    expect(analysis.signals?.workloads).toEqual([]);
  });
});
