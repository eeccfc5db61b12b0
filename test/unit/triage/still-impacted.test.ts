import { describe, expect, it } from 'vitest';
import { judgeWorkload } from '../../../src/triage/still-impacted.js';
import type { Finding, TriageReport } from '../../../src/triage/types.js';

const api = { kind: 'Deployment', namespace: 'payments', name: 'api' };
const OVER = 'over the last 30 s';

function report(figures: { rate?: number; ratio?: number; p99?: number; baseline?: number }, reasons: string[]) {
  const finding = (reason: string): Finding => ({
    id: reason,
    severity: 'warning',
    check: 'signals',
    reason,
    title: reason,
    workload: api,
    objects: [],
    count: 1,
    evidence: [],
  });
  return {
    findings: reasons.map(finding),
    signals: {
      source: { kind: 'scrape', name: '5 pods', profiles: [] },
      at: '2026-11-29T03:10:00.000Z',
      windowSeconds: 30,
      workloads: [
        {
          workload: api,
          via: '5 pods',
          requestRate: { now: figures.rate, baseline: figures.baseline, points: [] },
          errorRatio: { now: figures.ratio, points: [] },
          p99Seconds: { now: figures.p99, points: [] },
        },
      ],
    },
  } as unknown as TriageReport;
}

describe('judgeWorkload (inc resolve measures what triage flagged)', () => {
  it('holds a latency still over its threshold, naming the figure', () => {
    const judged = judgeWorkload(
      report({ rate: 20, ratio: 0, p99: 1.5 }, ['HighLatency']),
      { workload: api, reasons: ['HighLatency'] },
      OVER,
    );
    expect(judged).toEqual({
      impacted: [`deployment payments/api: p99 latency still 1.50 s ${OVER}`],
      recovered: [],
      what: ['the p99 latency is still above its baseline'],
    });
  });

  it('holds a traffic drop still there, a rate of nothing included, and says when it is back', () => {
    const gone = judgeWorkload(
      report({ baseline: 3.2 }, ['TrafficDrop']),
      { workload: api, reasons: ['TrafficDrop'] },
      OVER,
    );
    expect(gone.impacted).toEqual([`deployment payments/api: request rate still 0.00/s (baseline 3.2/s) ${OVER}`]);
    expect(gone.what).toEqual(['the request rate is still below its baseline']);
    const back = judgeWorkload(
      report({ rate: 3.1, baseline: 3.2, ratio: 0 }, []),
      { workload: api, reasons: ['TrafficDrop'] },
      OVER,
    );
    expect(back).toEqual({
      impacted: [],
      recovered: [`deployment payments/api: request rate back to 3.1/s (baseline 3.2/s) ${OVER}`],
      what: [],
    });
  });

  it('measures only the figures flagged: an error ratio flagged, a latency not', () => {
    const judged = judgeWorkload(
      report({ rate: 20, ratio: 0.001, p99: 2 }, ['HighLatency']),
      { workload: api, reasons: ['HighErrorRate'] },
      OVER,
    );
    expect(judged.impacted).toEqual([]);
    expect(judged.recovered).toEqual([`deployment payments/api: 5xx ratio back to 0.1 % ${OVER}`]);
  });
});
