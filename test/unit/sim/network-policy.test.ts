import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { formatLabelSelector } from '../../../src/sim/server/table-networking.js';
import { allowsConnection, inCidr, type NetworkPeer } from '../../../src/sim/traffic/network-policy.js';
import { INGRESS_CLIENT } from '../../../src/sim/traffic/service-clients.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';

const web: SimObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { podIP: '10.244.1.7' },
};
const api: SimObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'api-1', namespace: 'payments', labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { podIP: '10.244.2.9' },
};
const ingress: NetworkPeer = { pod: INGRESS_CLIENT };

function policy(name: string, spec: Record<string, unknown>, namespace = 'shop'): SimObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function cluster(...policies: SimObject[]): FakeClusterState {
  const state = new FakeClusterState();
  for (const [name, labels] of [
    ['shop', { team: 'storefront' }],
    ['payments', { team: 'payments' }],
  ] as const)
    state.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    });
  for (const p of policies) state.create(p);
  return state;
}

describe('NetworkPolicies in the traffic model', () => {
  it('admits everything while no ingress policy selects the pod', () => {
    expect(allowsConnection(ingress, web, 'http', cluster())).toBe(true);
    const other = policy('other', { podSelector: { matchLabels: { app: 'db' } } });
    const elsewhere = policy('elsewhere', { podSelector: {} }, 'payments');
    const egressOnly = policy('egress', { podSelector: {}, policyTypes: ['Egress'] });
    expect(allowsConnection(ingress, web, 'http', cluster(other, elsewhere, egressOnly))).toBe(true);
  });

  it('isolates a pod selected by a policy without ingress rules, the empty selector included', () => {
    expect(allowsConnection(ingress, web, 'http', cluster(policy('deny', { podSelector: {} })))).toBe(false);
    const byExpression = policy('deny', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      ingress: [],
    });
    expect(allowsConnection(ingress, web, 'http', cluster(byExpression))).toBe(false);
  });

  it('an ingress rule admits a peer by namespace, by pod (its own namespace unless both are given) and port', () => {
    const allow = (rule: Record<string, unknown>, from: NetworkPeer = ingress, to = web) =>
      allowsConnection(
        from,
        to,
        'http',
        cluster(
          policy('deny', { podSelector: {} }, to.metadata.namespace),
          policy('allow', { podSelector: {}, ingress: [rule] }, to.metadata.namespace),
        ),
      );
    expect(allow({})).toBe(true);
    expect(allow({ from: [{ namespaceSelector: {} }] })).toBe(true);
    expect(
      allow({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }),
    ).toBe(true);
    expect(allow({ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] })).toBe(false);
    // A podSelector alone names pods of the policy's namespace: never the ingress controller's.
    expect(allow({ from: [{ podSelector: {} }] })).toBe(false);
    expect(allow({ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }, { pod: web }, api)).toBe(false);
    const fromStorefront = (app: string) =>
      allow(
        {
          from: [{ namespaceSelector: { matchLabels: { team: 'storefront' } }, podSelector: { matchLabels: { app } } }],
        },
        { pod: web },
        api,
      );
    expect(fromStorefront('web')).toBe(true);
    expect(fromStorefront('cart')).toBe(false);
    expect(allow({ ports: [{ port: 8080 }] })).toBe(true);
    expect(allow({ ports: [{ port: 'http', protocol: 'TCP' }] })).toBe(true);
    expect(allow({ ports: [{ port: 8000, endPort: 8100 }] })).toBe(true);
    expect(allow({ ports: [{ port: 9090 }] })).toBe(false);
    expect(allow({ ports: [{ port: 8080, protocol: 'UDP' }] })).toBe(false);
  });

  it('an ipBlock admits the addresses in its CIDR and in none of its exceptions, a client outside the cluster too', () => {
    const allow = (block: Record<string, unknown>, from: NetworkPeer) =>
      allowsConnection(
        from,
        web,
        'http',
        cluster(policy('allow', { podSelector: {}, ingress: [{ from: [{ ipBlock: block }] }] })),
      );
    expect(allow({ cidr: '0.0.0.0/0' }, ingress)).toBe(true);
    expect(allow({ cidr: '10.244.255.0/24' }, ingress)).toBe(true);
    expect(allow({ cidr: '10.244.0.0/16', except: ['10.244.255.0/24'] }, ingress)).toBe(false);
    expect(allow({ cidr: '203.0.113.0/24' }, { ip: '203.0.113.7' })).toBe(true);
    expect(allow({ cidr: '203.0.113.0/24', except: ['203.0.113.0/29'] }, { ip: '203.0.113.7' })).toBe(false);
    // A client outside the cluster is no pod: selectors never name it.
    expect(
      allowsConnection(
        { ip: '203.0.113.7' },
        web,
        'http',
        cluster(policy('allow', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })),
      ),
    ).toBe(false);
    expect(inCidr('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(inCidr('10.0.0.1', '2001:db8::/32')).toBe(false);
    expect(inCidr('10.0.0.1', 'nonsense')).toBe(false);
  });

  it('egress: an isolated source reaches only what one of its egress rules admits, and the destination must admit it too', () => {
    const from = { pod: web };
    const egress = (rules: Record<string, unknown>[], ...more: SimObject[]) =>
      allowsConnection(
        from,
        api,
        'http',
        cluster(
          policy('out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: rules }),
          ...more,
        ),
      );
    expect(egress([])).toBe(false);
    expect(egress([{}])).toBe(true);
    expect(egress([{ to: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] }])).toBe(true);
    expect(egress([{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }])).toBe(false);
    expect(egress([{ to: [{ ipBlock: { cidr: '10.244.2.0/24' } }], ports: [{ port: 8080 }] }])).toBe(true);
    expect(egress([{ to: [{ ipBlock: { cidr: '10.244.2.0/24' } }], ports: [{ port: 'http' }] }])).toBe(true);
    expect(egress([{ to: [{ ipBlock: { cidr: '10.244.2.0/24' } }], ports: [{ port: 5432 }] }])).toBe(false);
    // Egress allowed, but the destination's ingress does not admit the source.
    expect(egress([{}], policy('deny', { podSelector: {} }, 'payments'))).toBe(false);
    // An Ingress-only policy selecting the source does not restrict what it sends.
    expect(
      allowsConnection(from, api, 'http', cluster(policy('in', { podSelector: {}, policyTypes: ['Ingress'] }))),
    ).toBe(true);
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
