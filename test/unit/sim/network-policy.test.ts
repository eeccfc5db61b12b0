import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { formatLabelSelector } from '../../../src/sim/server/table-networking.js';
import { admitsServiceTraffic } from '../../../src/sim/traffic/network-policy.js';

const pod: SimObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
};
const port = { name: 'http', port: 80, targetPort: 'http' };

function policy(name: string, spec: Record<string, unknown>, namespace = 'shop'): SimObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

describe('NetworkPolicies in the traffic model', () => {
  it('admits everything while no ingress policy selects the pod', () => {
    expect(admitsServiceTraffic(pod, port, [])).toBe(true);
    const other = policy('other', { podSelector: { matchLabels: { app: 'db' } } });
    const elsewhere = policy('elsewhere', { podSelector: {} }, 'payments');
    const egressOnly = policy('egress', { podSelector: {}, policyTypes: ['Egress'] });
    expect(admitsServiceTraffic(pod, port, [other, elsewhere, egressOnly])).toBe(true);
  });

  it('isolates a pod selected by a policy without ingress rules, the empty selector included', () => {
    expect(admitsServiceTraffic(pod, port, [policy('deny', { podSelector: {} })])).toBe(false);
    const byExpression = policy('deny', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      ingress: [],
    });
    expect(admitsServiceTraffic(pod, port, [byExpression])).toBe(false);
  });

  it('a rule admits the clients from anywhere, every namespace or an ipBlock, on the right port', () => {
    const deny = policy('deny', { podSelector: {} });
    const allow = (rule: Record<string, unknown>) =>
      admitsServiceTraffic(pod, port, [
        deny,
        policy('allow', { podSelector: { matchLabels: { app: 'web' } }, ingress: [rule] }),
      ]);
    expect(allow({})).toBe(true);
    expect(allow({ from: [{ namespaceSelector: {} }] })).toBe(true);
    expect(allow({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] })).toBe(true);
    expect(allow({ from: [{ podSelector: { matchLabels: { app: 'cart' } } }] })).toBe(false);
    expect(allow({ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] })).toBe(false);
    expect(allow({ ports: [{ port: 8080 }] })).toBe(true);
    expect(allow({ ports: [{ port: 'http', protocol: 'TCP' }] })).toBe(true);
    expect(allow({ ports: [{ port: 8000, endPort: 8100 }] })).toBe(true);
    expect(allow({ ports: [{ port: 9090 }] })).toBe(false);
    expect(allow({ ports: [{ port: 8080, protocol: 'UDP' }] })).toBe(false);
  });
});

describe('formatLabelSelector', () => {
  it('prints requirements sorted by key, set values sorted, <none> for the empty selector', () => {
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'c', operator: 'In', values: ['y', 'x'] },
          { key: 'aa', operator: 'Exists' },
          { key: 'd', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a=1,aa,b=2,c in (x,y),!d');
  });
});
