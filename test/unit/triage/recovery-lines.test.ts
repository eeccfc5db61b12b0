import { describe, expect, it } from 'vitest';
import { describeRecovery } from '../../../src/triage/signals/recovery-lines.js';
import type { Finding, ObjectRef, SignalsReport } from '../../../src/triage/types.js';

const api: ObjectRef = { kind: 'Deployment', namespace: 'payments', name: 'api' };
const worker: ObjectRef = { kind: 'Deployment', namespace: 'payments', name: 'worker' };

function signals(...workloads: [ObjectRef, { rate: number; ratio?: number; p99?: number; baseline?: number }][]) {
  return {
    source: { kind: 'prometheus', name: 'prom', profiles: [] },
    at: '2026-11-29T03:10:00.000Z',
    windowSeconds: 30,
    workloads: workloads.map(([workload, f]) => ({
      workload,
      via: 'service',
      requestRate: { now: f.rate, baseline: f.baseline, points: [] },
      errorRatio: { now: f.rate > 0 ? (f.ratio ?? 0) : undefined, points: [] },
      p99Seconds: { now: f.p99, points: [] },
    })),
  } satisfies SignalsReport;
}

function finding(reason: string, workload: ObjectRef): Finding {
  return {
    id: reason,
    severity: 'warning',
    check: 'signals',
    reason,
    title: reason,
    workload,
    objects: [],
    count: 1,
    evidence: [],
  };
}

describe('describeRecovery', () => {
  it('names the workload whose traffic had dropped, and its rate back, in a namespace', () => {
    const lines = describeRecovery(
      {
        before: signals([api, { rate: 0, baseline: 3.2 }], [worker, { rate: 9 }]),
        after: signals([api, { rate: 3.1, baseline: 3.2 }], [worker, { rate: 9 }]),
        problems: [finding('TrafficDrop', api)],
        still: [],
      },
      { namespace: 'payments' },
    );
    expect(lines).toEqual(['deployment payments/api: request rate back to 3.1/s (baseline 3.2/s), was 0.00/s']);
  });

  it('says a drop is still there, and that no traffic was measured', () => {
    const drop = finding('TrafficDrop', api);
    const lines = describeRecovery(
      {
        before: signals([api, { rate: 0, baseline: 3.2 }]),
        after: signals([api, { rate: 0, baseline: 3.2 }]),
        problems: [drop],
        still: [drop],
      },
      { namespace: 'payments' },
    );
    expect(lines).toEqual(['deployment payments/api: request rate still 0.00/s (baseline 3.2/s)']);
  });

  it("gives the playbook's workload its 5xx ratio, 'back to' only when it was the problem", () => {
    const measured = {
      before: signals([api, { rate: 20, ratio: 0.3 }]),
      after: signals([api, { rate: 20, ratio: 0 }]),
      still: [],
    };
    expect(describeRecovery({ ...measured, problems: [finding('HighErrorRate', api)] }, { workload: 'api' })).toEqual([
      '5xx ratio back to 0 %, was 30 %',
    ]);
    expect(describeRecovery({ ...measured, problems: [] }, { workload: 'api' })).toEqual(['5xx ratio 0 %']);
    const withLatency = { ...measured, after: signals([api, { rate: 20, ratio: 0, p99: 0.149 }]), problems: [] };
    expect(describeRecovery(withLatency, { workload: 'api' })).toEqual(['5xx ratio 0 %', 'p99 latency 149 ms']);
  });

  it('without a finding in the namespace, shows what its busiest workloads serve', () => {
    const lines = describeRecovery(
      {
        before: undefined,
        after: signals([api, { rate: 3.1, p99: 0.1 }], [worker, { rate: 9 }]),
        problems: [],
        still: [],
      },
      { namespace: 'payments' },
    );
    expect(lines).toEqual([
      'signals: no error-rate, latency or traffic finding in namespace payments',
      '  deployment payments/worker: 9.0/s, 5xx 0 %',
      '  deployment payments/api: 3.1/s, 5xx 0 %, p99 100 ms',
    ]);
    expect(
      describeRecovery({ before: undefined, after: signals(), problems: [], still: [] }, { namespace: 'payments' }),
    ).toEqual(['signals: no traffic measured in namespace payments since the mitigation']);
  });
});
