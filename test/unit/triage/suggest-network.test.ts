import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../../src/triage/analyze.js';
import { listChanges } from '../../../src/triage/changes.js';
import { draft } from '../../../src/triage/checks/check.js';
import type { NetworkPolicy } from '../../../src/triage/k8s.js';
import { suggestNetworkRevert } from '../../../src/triage/suggest-network.js';
import { ago, deployment, nowMs, pod, snapshotWith } from './fixtures.js';

const api = deployment('payments', 'api');
api.spec = { ...api.spec, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [] } } };
const apiPod = pod('api-1', { namespace: 'payments', labels: { app: 'api' } });
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', namespace: 'payments', uid: 'svc' },
  spec: { selector: { app: 'api' } },
};

function policy(name: string, minutesAgo: number, spec: Partial<NonNullable<NetworkPolicy['spec']>>): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'payments', uid: name, creationTimestamp: ago(minutesAgo) },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ...spec },
  };
}

const denyAll = policy('restrict-api', 10, {});
const allowMonitoring = policy('allow-monitoring', 4, {
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }], ports: [{ port: 9090 }] }],
});
const allowAll = policy('allow-all', 2, { ingress: [{}] });

function suggestionFor(policies: NetworkPolicy[]) {
  const snapshot = snapshotWith({ deployments: [api], pods: [apiPod], services: [service], networkPolicies: policies });
  const ref = { kind: 'Deployment', namespace: 'payments', name: 'api' };
  const finding = draft({
    check: 'signals',
    severity: 'warning',
    reason: 'TrafficDrop',
    title: 'deployment payments/api: request rate 0.00/s, down 100 %',
    workload: ref,
    objects: [ref],
    firstFailureMs: nowMs - 60_000,
  });
  return suggestNetworkRevert(finding, ref, { snapshot, changes: listChanges(snapshot, nowMs, 3_600_000) });
}

describe('the NetworkPolicy a traffic drop suggests reverting', () => {
  it('is the one that admits no ingress, not the newest; another that isolates the pods is named', () => {
    const cutOff = suggestionFor([denyAll, allowMonitoring]);
    expect(cutOff?.suggestion.command).toBe('inc run netpol-revert --set namespace=payments --set policy=restrict-api');
    expect(cutOff?.note).toContain(
      'networkpolicy payments/allow-monitoring (changed at 14:26) selects them too and admits only what its rules allow: if the traffic does not come back, revert it as well',
    );
  });

  it('is never a policy that admits everything', () => {
    const cutOff = suggestionFor([denyAll, allowAll]);
    expect(cutOff?.suggestion.command).toBe('inc run netpol-revert --set namespace=payments --set policy=restrict-api');
    expect(cutOff?.note).not.toContain('allow-all');
    expect(suggestionFor([allowAll])).toBeUndefined();
  });
});

describe('the revert offered on a NetworkPolicy finding', () => {
  it('is not offered for a policy that drops nothing, nor for one whose drops another policy decides', () => {
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'api', namespace: 'payments' },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
    };
    const result = analyzeSnapshot(
      snapshotWith({
        pods: [apiPod],
        services: [service],
        endpoints: [endpoints],
        networkPolicies: [denyAll, allowAll],
      }),
      { checks: ['network'], sinceMs: 3_600_000, elapsed: () => 0 },
    );
    expect(result.findings.map((f) => [f.title.split(' ')[1], f.suggestion?.command])).toEqual([
      ['payments/restrict-api', undefined],
      ['payments/allow-all', undefined],
    ]);
    const alone = analyzeSnapshot(
      snapshotWith({ pods: [apiPod], services: [service], endpoints: [endpoints], networkPolicies: [denyAll] }),
      { checks: ['network'], sinceMs: 3_600_000, elapsed: () => 0 },
    );
    expect(alone.findings[0]?.suggestion?.command).toBe(
      'inc run netpol-revert --set namespace=payments --set policy=restrict-api',
    );
  });
});
