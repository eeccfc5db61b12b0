import { describe, expect, it } from 'vitest';
import {
  type Alert,
  alertTarget,
  DEFAULT_ALERT_SEVERITIES,
  findingSeverity,
  incidentSeverityFor,
} from '../../../../src/triage/alerts/alert.js';
import { alertFindings } from '../../../../src/triage/alerts/alert-findings.js';
import { linkWorkload } from '../../../../src/triage/alerts/link-workload.js';
import { analyzeSnapshot } from '../../../../src/triage/analyze.js';
import type { Service } from '../../../../src/triage/k8s.js';
import { OwnerIndex } from '../../../../src/triage/owners.js';
import { ago, deployment, pod, replicaSet, snapshotWith } from '../fixtures.js';

const api = deployment('payments', 'api');
const rs = replicaSet(api, 'abc12', { revision: 2, image: 'api:2', createdMinutesAgo: 12 });
const apiPod = pod('api-abc12-x1', { owner: rs, hash: 'abc12', labels: { app: 'api' } });
const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api-svc', namespace: 'payments', uid: 'svc-1' },
  spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
};
const snapshot = snapshotWith({ deployments: [api], replicasets: [rs], pods: [apiPod], services: [service] });
const context = { snapshot, owners: new OwnerIndex(snapshot) };

function alert(labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  return {
    name: labels.alertname ?? 'Test',
    fingerprint: `fp-${Object.values(labels).join('-')}`,
    labels,
    annotations: {},
    startsAt: ago(10),
    state: 'active',
    silencedBy: [],
    inhibitedBy: [],
    ...extra,
  };
}

describe('alertTarget: what the labels point at', () => {
  it('needs a namespace, and prefers the most specific workload label', () => {
    expect(alertTarget({ deployment: 'api' })).toBeUndefined();
    expect(alertTarget({ namespace: 'payments' })).toBeUndefined();
    expect(alertTarget({ namespace: 'payments', pod: 'api-1', deployment: 'api' })).toEqual({
      kind: 'Deployment',
      namespace: 'payments',
      name: 'api',
    });
    expect(alertTarget({ namespace: 'db', statefulset: 'pg', container: 'pg' })).toMatchObject({ kind: 'StatefulSet' });
    expect(alertTarget({ namespace: 'kube-system', daemonset: 'fluentd' })).toMatchObject({ kind: 'DaemonSet' });
    expect(alertTarget({ namespace: 'batch', job_name: 'nightly' })).toMatchObject({ kind: 'Job', name: 'nightly' });
    expect(alertTarget({ namespace: 'payments', service: 'api' })).toMatchObject({ kind: 'Service', name: 'api' });
    expect(alertTarget({ namespace: 'payments', container: 'api' })).toMatchObject({ kind: 'Container' });
  });
});

describe('linkWorkload: the workload triage names', () => {
  it('resolves a pod to its deployment through its ReplicaSet', () => {
    expect(linkWorkload({ namespace: 'payments', pod: 'api-abc12-x1' }, context)).toEqual({
      kind: 'Deployment',
      namespace: 'payments',
      name: 'api',
    });
  });

  it('resolves a service to the one workload behind its selector', () => {
    expect(linkWorkload({ namespace: 'payments', service: 'api-svc' }, context)).toMatchObject({
      kind: 'Deployment',
      name: 'api',
    });
  });

  it('keeps a service or pod it cannot find as it is, and a container only when one workload runs it', () => {
    expect(linkWorkload({ namespace: 'payments', service: 'gone' }, context)).toEqual({
      kind: 'Service',
      namespace: 'payments',
      name: 'gone',
    });
    expect(linkWorkload({ namespace: 'payments', container: 'api' }, context)).toMatchObject({ name: 'api' });
    expect(linkWorkload({ namespace: 'payments', container: 'sidecar' }, context)).toBeUndefined();
  });
});

describe('severity mapping', () => {
  it('maps the severity label to a finding severity', () => {
    expect(findingSeverity({ severity: 'critical' })).toBe('critical');
    expect(findingSeverity({ severity: 'Page' })).toBe('critical');
    expect(findingSeverity({ severity: 'warning' })).toBe('warning');
    expect(findingSeverity({ severity: 'info' })).toBe('info');
    expect(findingSeverity({})).toBe('info');
  });

  it('maps the severity label to an incident severity through the config, case-insensitively', () => {
    expect(incidentSeverityFor({ severity: 'critical' }, DEFAULT_ALERT_SEVERITIES, 'SEV3')).toEqual({
      severity: 'SEV2',
      label: 'critical',
      mapped: true,
    });
    expect(incidentSeverityFor({ severity: 'PAGE' }, DEFAULT_ALERT_SEVERITIES, 'SEV3').severity).toBe('SEV1');
    expect(incidentSeverityFor({ severity: 'warning' }, DEFAULT_ALERT_SEVERITIES, 'SEV4').severity).toBe('SEV3');
    expect(incidentSeverityFor({ severity: 'info' }, DEFAULT_ALERT_SEVERITIES, 'SEV4')).toEqual({
      severity: 'SEV4',
      label: 'info',
      mapped: false,
    });
    expect(incidentSeverityFor({}, { critical: 'P1' }, 'SEV3')).toEqual({ severity: 'SEV3', mapped: false });
    expect(incidentSeverityFor({ severity: 'critical' }, { CRITICAL: 'SEV1' }, 'SEV3').severity).toBe('SEV1');
  });
});

describe('alertFindings', () => {
  it('groups by alert name and namespace, dates by the earliest startsAt, keeps summary, description and runbook', () => {
    const findings = alertFindings(
      [
        alert(
          { alertname: 'HighErrorRate', namespace: 'payments', pod: 'api-abc12-x1', severity: 'critical' },
          {
            startsAt: ago(5),
            annotations: {
              summary: '5xx above 5 %',
              description: 'api serves errors',
              runbook_url: 'https://runbooks.example/5xx',
            },
          },
        ),
        alert(
          { alertname: 'HighErrorRate', namespace: 'payments', service: 'api-svc', severity: 'warning' },
          { startsAt: ago(8) },
        ),
        alert({ alertname: 'Watchdog', severity: 'none' }),
      ],
      context,
    );
    expect(findings).toHaveLength(2);
    const errors = findings[0];
    expect(errors).toMatchObject({
      id: 'alerts/HighErrorRate/payments/Deployment/api',
      check: 'alerts',
      reason: 'HighErrorRate',
      severity: 'critical',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      count: 2,
      since: ago(8),
      runbook: 'https://runbooks.example/5xx',
    });
    expect(errors?.title).toBe('alert HighErrorRate firing on deployment payments/api (2 alerts): 5xx above 5 %');
    expect(errors?.evidence).toEqual(
      expect.arrayContaining([
        'summary: 5xx above 5 %',
        'description: api serves errors',
        'runbook: https://runbooks.example/5xx',
      ]),
    );
    // An alert whose labels name no workload is shown, unlinked.
    expect(findings[1]).toMatchObject({
      reason: 'Watchdog',
      severity: 'info',
      objects: [{ kind: 'Alert', name: 'Watchdog' }],
    });
    expect(findings[1]?.workload).toBeUndefined();
    expect(findings[1]?.title).toBe('alert Watchdog firing on no namespace or workload in its labels');
  });

  it('in triage: a rollout just before the alert is the suspect, rollback suggested beside the runbook', () => {
    const old = replicaSet(api, 'old11', { revision: 1, image: 'api:1', createdMinutesAgo: 300 });
    const snap = snapshotWith({ deployments: [api], replicasets: [rs, old], pods: [apiPod], services: [service] });
    const analysis = analyzeSnapshot(snap, {
      checks: ['alerts'],
      sinceMs: 3600_000,
      alerts: {
        kind: 'data',
        source: { kind: 'url', name: 'http://am' },
        alerts: [
          alert(
            { alertname: 'ApiDown', namespace: 'payments', deployment: 'api', severity: 'critical' },
            { startsAt: ago(10), annotations: { runbook_url: 'https://runbooks.example/api' } },
          ),
        ],
      },
      elapsed: () => 0,
    });
    expect(analysis.checks).toEqual([{ check: 'alerts', status: 'ok', durationMs: 0 }]);
    expect(analysis.findings[0]).toMatchObject({
      reason: 'ApiDown',
      suggestion: { playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } },
      runbook: 'https://runbooks.example/api',
    });
    expect(analysis.suspects[0]).toMatchObject({ workload: { kind: 'Deployment', name: 'api' } });
  });

  it('in triage of one namespace: an alert of another namespace is shown as information, not counted', () => {
    const snap = snapshotWith({ namespace: 'payments', deployments: [api], replicasets: [rs], pods: [apiPod] });
    const analysis = analyzeSnapshot(snap, {
      checks: ['alerts'],
      sinceMs: 3600_000,
      alerts: {
        kind: 'data',
        source: { kind: 'url', name: 'http://am' },
        alerts: [
          alert({ alertname: 'PodRestarting', namespace: 'kube-system', pod: 'coredns-1', severity: 'warning' }),
          alert({ alertname: 'ApiDown', namespace: 'payments', deployment: 'api', severity: 'critical' }),
          alert({ alertname: 'NodeDown', node: 'node-2', severity: 'critical' }),
        ],
      },
      elapsed: () => 0,
    });
    expect(analysis.findings.map((f) => `${f.severity} ${f.title}`)).toEqual([
      'critical alert ApiDown firing on deployment payments/api',
      'critical alert NodeDown firing on no namespace or workload in its labels',
      'info alert PodRestarting firing on pod kube-system/coredns-1, outside namespace payments',
    ]);
    expect(analysis.findings[2]?.evidence[0]).toBe(
      'a warning alert of namespace kube-system, not counted here: inc triage -n kube-system reads that namespace',
    );
  });

  it('in triage: Alertmanager down fails the alerts check only; none found skips it', () => {
    const failed = analyzeSnapshot(snapshot, {
      checks: ['pods', 'alerts'],
      sinceMs: 3600_000,
      alerts: { kind: 'failed', error: 'Alertmanager http://am unreachable: ECONNREFUSED' },
      elapsed: () => 0,
    });
    expect(failed.checks).toEqual([
      { check: 'pods', status: 'ok', durationMs: 0 },
      { check: 'alerts', status: 'error', durationMs: 0, error: 'Alertmanager http://am unreachable: ECONNREFUSED' },
    ]);
    const none = analyzeSnapshot(snapshot, {
      checks: ['alerts'],
      sinceMs: 3600_000,
      alerts: { kind: 'unavailable', reason: 'no Alertmanager' },
      elapsed: () => 0,
    });
    expect(none.checks[0]).toMatchObject({ status: 'skipped', error: 'no Alertmanager' });
  });
});
