import { describe, expect, it } from 'vitest';
import { markPartialWindows } from '../../../../src/triage/adapters/prometheus-signals.js';
import { analyzeSnapshot } from '../../../../src/triage/analyze.js';
import type { Service } from '../../../../src/triage/k8s.js';
import { DEFAULT_THRESHOLDS } from '../../../../src/triage/signals/signal-thresholds.js';
import type { Point, SignalSeries, SignalsData } from '../../../../src/triage/signals/signal-types.js';
import { deployment, nowMs, pod, replicaSet, snapshotWith } from '../fixtures.js';

const HISTORY_START = nowMs - 30 * 60_000;
const target = { namespace: 'payments', service: 'api' };
const series = (query: SignalSeries['query'], points: Point[]): SignalSeries => ({
  query,
  target,
  profile: 'client-library',
  points,
});
/** A Prometheus started two minutes ago: 20/s, 30 % of it 5xx, rated over windows reaching before its first sample. */
const begun = (values: number[]) => values.map((value, i): Point => [nowMs - 90_000 + 15_000 * i, value]);
const requests = [2.7, 7.8, 12.8, 17.8, 20, 20, 20];
const errors = requests.map((r) => r * 0.3);

describe('a request series that begins inside the history', () => {
  it('is marked whole from a window after its first point; one the history holds from its start is not', () => {
    const [marked, errorSeries] = markPartialWindows(
      [series('requests', begun(requests)), series('errors', begun(errors))],
      HISTORY_START,
      60_000,
    );
    expect(marked?.wholeFromMs).toBe(nowMs - 30_000);
    expect(errorSeries?.wholeFromMs).toBeUndefined();
    const whole = series('requests', [
      [HISTORY_START, 20],
      [HISTORY_START + 15_000, 20],
    ]);
    expect(markPartialWindows([whole], HISTORY_START, 60_000)).toEqual([whole]);
  });

  it("leaves its first points out of the workload's request rate, and keeps them in its 5xx ratio", () => {
    const api = deployment('payments', 'api');
    const rs = replicaSet(api, 'v2', { revision: 2, image: 'api:2', createdMinutesAgo: 60 });
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'payments' },
      spec: { selector: { app: 'api' } },
    };
    const snapshot = snapshotWith({
      deployments: [api],
      replicasets: [rs],
      pods: [pod('api-v2-1', { owner: rs, hash: 'v2', labels: { app: 'api' }, startedMinutesAgo: 60 })],
      services: [service],
    });
    const data: SignalsData = {
      source: { kind: 'prometheus', name: 'http://prometheus:9090', profiles: ['client-library'] },
      windowMs: 300_000,
      atMs: nowMs,
      hasBaseline: true,
      series: markPartialWindows(
        [series('requests', begun(requests)), series('errors', begun(errors))],
        HISTORY_START,
        60_000,
      ),
      raw: [],
    };
    const analysis = analyzeSnapshot(snapshot, {
      checks: ['signals'],
      sinceMs: 3600_000,
      elapsed: () => 0,
      signals: { kind: 'data', data, thresholds: DEFAULT_THRESHOLDS },
    });
    const signals = analysis.signals?.workloads[0];
    expect(signals?.requestRate.points.map((p) => p.value)).toEqual([20, 20, 20]);
    expect(signals?.errorRatio.points.map((p) => Math.round(p.value * 100))).toEqual([30, 30, 30, 30, 30, 30, 30]);
  });
});
