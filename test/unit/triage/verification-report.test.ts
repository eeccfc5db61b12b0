import { describe, expect, it } from 'vitest';
import type { Finding, Severity, TriageReport } from '../../../src/triage/types.js';
import { verificationReport } from '../../../src/triage/verification-report.js';

function finding(check: Finding['check'], reason: string, severity: Severity): Finding {
  return {
    id: `${check}/${reason}/payments/Deployment/api`,
    severity,
    check,
    reason,
    title: `${reason} on deployment payments/api`,
    workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    objects: [],
    count: 1,
    evidence: [],
  };
}

function report(findings: Finding[], extra: Partial<TriageReport> = {}): TriageReport {
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity] += 1;
  return {
    schemaVersion: 1,
    context: 'prod',
    namespaces: 'payments',
    startedAt: '2026-11-29T20:39:00.000Z',
    durationMs: 120,
    complete: true,
    summary,
    headline: 'whatever the objects triage said, 0.1 s',
    findings,
    suspects: [
      {
        workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
        change: 'rollout to revision 3',
        at: '2026-11-29T20:38:00.000Z',
        why: 'the mitigation itself',
      },
    ],
    checks: [],
    ...extra,
  };
}

const signalsAfter = {
  source: { kind: 'scrape' as const, name: '3 pods', profiles: [] },
  at: '2026-11-29T20:39:00.000Z',
  windowSeconds: 30,
  workloads: [],
};

describe('verificationReport', () => {
  it('adds the signal findings measured since the mitigation to the objects, worst first, and counts them', () => {
    const objects = report([finding('rollouts', 'RolloutChanged', 'info')]);
    const signals = report([finding('signals', 'HighErrorRate', 'critical'), finding('pods', 'Ignored', 'warning')], {
      signals: signalsAfter,
    });
    const merged = verificationReport(objects, signals);
    expect(merged.findings.map((f) => f.reason)).toEqual(['HighErrorRate', 'RolloutChanged']);
    expect(merged.summary).toEqual({ critical: 1, warning: 0, info: 1 });
    expect(merged.headline).toBe('after the mitigation: 1 critical, 1 info in namespace payments');
    expect(merged.signals).toBe(signalsAfter);
  });

  it('names no suspect, and says when nothing is wrong', () => {
    const merged = verificationReport(report([]), report([], { signals: signalsAfter }));
    expect(merged.suspects).toEqual([]);
    expect(merged.headline).toBe('after the mitigation: no problems found in namespace payments');
  });

  it('has no signals without a measurement, and says when a check did not run', () => {
    const merged = verificationReport(report([], { complete: false, namespaces: 'all' }), undefined);
    expect(merged.signals).toBeUndefined();
    expect(merged.complete).toBe(false);
    expect(merged.headline).toBe('after the mitigation: no problems found in all namespaces (not every check ran)');
  });
});
