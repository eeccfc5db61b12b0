import { describe, expect, it } from 'vitest';
import type { MeasuredSignals } from '../../../src/incident/event.js';
import { describeMeasuredImpact, flaggedWorkloads } from '../../../src/report/measured-impact.js';

const api = { kind: 'Deployment', namespace: 'payments', name: 'api' };
const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };

function run(
  at: string,
  workloads: Array<{ ref: typeof api; ratio?: number; baseline?: number; p99?: number; reasons?: string[] }>,
): { signals: MeasuredSignals } {
  return {
    signals: {
      at,
      windowSeconds: 300,
      source: 'by Prometheus http://prometheus:9090',
      workloads: workloads.map((w) => ({
        workload: w.ref,
        requestRate: { now: 20 },
        errorRatio: { now: w.ratio, baseline: w.baseline },
        p99Seconds: { now: w.p99 },
        reasons: w.reasons ?? [],
      })),
    },
  };
}

describe('describeMeasuredImpact', () => {
  it('states the worst flagged ratio, then the latest measurement', () => {
    const lines = describeMeasuredImpact([
      run('2026-01-10T14:00:00Z', [
        { ref: api, ratio: 0.12, baseline: 0.002, reasons: ['HighErrorRate'] },
        { ref: web, ratio: 0 },
      ]),
      run('2026-01-10T14:05:00Z', [{ ref: api, ratio: 0.18, baseline: 0.002, reasons: ['HighErrorRate'] }]),
      run('2026-01-10T14:10:00Z', [{ ref: api, ratio: 0.003, baseline: 0.002 }]),
    ]);
    expect(lines).toEqual(['deployment payments/api: 5xx ratio 18 % → 0.3 % (baseline 0.2 %)']);
  });

  it('gives the figure alone while nothing was measured after the worst, and latency with it', () => {
    const lines = describeMeasuredImpact([
      {},
      run('2026-01-10T14:00:00Z', [{ ref: api, ratio: 0.3, p99: 1.5, reasons: ['HighErrorRate', 'HighLatency'] }]),
    ]);
    expect(lines).toEqual(['deployment payments/api: 5xx ratio 30 %, p99 latency 1.50 s']);
  });

  it('states a traffic drop by its lowest rate, then the latest', () => {
    const drop = (at: string, rate: number, reasons: string[]) => {
      const measured = run(at, [{ ref: api, ratio: 0, reasons }]);
      const entry = measured.signals.workloads[0]!;
      entry.requestRate = { now: rate, baseline: 3.2 };
      return measured;
    };
    const lines = describeMeasuredImpact([
      drop('2026-01-10T14:00:00Z', 0.4, ['TrafficDrop']),
      drop('2026-01-10T14:05:00Z', 0, ['TrafficDrop']),
      drop('2026-01-10T14:10:00Z', 3.1, []),
    ]);
    expect(lines).toEqual(['deployment payments/api: request rate 0.00/s → 3.1/s (baseline 3.2/s)']);
  });

  it('says nothing without signal findings', () => {
    expect(describeMeasuredImpact([run('2026-01-10T14:00:00Z', [{ ref: web, ratio: 0.001 }]), {}])).toEqual([]);
    expect(
      flaggedWorkloads([run('2026-01-10T14:00:00Z', [{ ref: api, ratio: 0.2, reasons: ['TrafficDrop'] }]).signals]),
    ).toEqual([]);
  });
});
