/**
 * NetworkPolicies applied to the simulated traffic, as a CNI enforces networking.k8s.io/v1. A
 * connection from one peer to a pod's port goes through when the source's egress and the
 * destination's ingress both allow it. A pod selected by a policy whose policyTypes include Ingress
 * (Egress) is isolated in that direction: it then takes (sends) only what one rule of those policies
 * admits. A rule admits a peer when it names no peer or one that matches: `podSelector` (pods of
 * the policy's namespace), `namespaceSelector` (every pod of the namespaces it selects; with a
 * `podSelector`, those of its pods), or `ipBlock` (the peer's address in `cidr` and in no `except`);
 * and the port when it names none, or the destination's port (a name is resolved on the pod).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { ClusterState, SimObject } from '../cluster-state.js';
import { containersOf } from '../controllers/resources.js';
import { type Dict, matchesExpression } from '../controllers/util.js';

type Labels = Record<string, string> | undefined;

/** One end of a connection: a pod (in the store, or standing for a client such as the ingress controller), or an address. */
export type NetworkPeer = { pod: SimObject } | { ip: string };

/** What evaluating policies reads: the policies, and the namespaces' labels. */
export type NetworkView = Pick<ClusterState, 'get' | 'list'>;

/** A label selector where, unlike a workload's, the empty one selects everything. */
export function selectsAll(selector: unknown): boolean {
  const sel = (selector ?? {}) as Dict;
  return Object.keys(sel.matchLabels ?? {}).length === 0 && ((sel.matchExpressions as Dict[]) ?? []).length === 0;
}

/** matchLabels and matchExpressions, both required; `{}` matches every set of labels. */
export function policySelectorMatches(selector: unknown, labels: Labels): boolean {
  const sel = (selector ?? {}) as Dict;
  const have = labels ?? {};
  const pairs = Object.entries((sel.matchLabels ?? {}) as Record<string, string>);
  if (!pairs.every(([key, value]) => have[key] === value)) return false;
  return ((sel.matchExpressions as Dict[] | undefined) ?? []).every((expr) => matchesExpression(have, expr));
}

type Direction = 'Ingress' | 'Egress';

/** The policyTypes a policy enforces, as the API server defaults them. */
function policyTypes(policy: SimObject): string[] {
  const spec = (policy.spec ?? {}) as Dict;
  const types = spec.policyTypes as string[] | undefined;
  if (types && types.length > 0) return types;
  return ['Ingress', ...(((spec.egress as Dict[] | undefined) ?? []).length > 0 ? ['Egress'] : [])];
}

/** The policies of the pod's namespace that select it for that direction. */
export function policiesIsolating(pod: SimObject, direction: Direction, view: NetworkView): SimObject[] {
  return view
    .list('NetworkPolicy', pod.metadata.namespace)
    .filter(
      (policy) =>
        policyTypes(policy).includes(direction) &&
        policySelectorMatches(((policy.spec ?? {}) as Dict).podSelector, pod.metadata.labels),
    );
}

/** The ingress policies of the pod's namespace that select it. */
export function ingressPoliciesOf(pod: SimObject, view: NetworkView): SimObject[] {
  return policiesIsolating(pod, 'Ingress', view);
}

function ipOf(peer: NetworkPeer): string | undefined {
  if ('ip' in peer) return peer.ip;
  const ip = ((peer.pod.status ?? {}) as Dict).podIP;
  return typeof ip === 'string' && ip ? ip : undefined;
}

/** Whether the address is in the CIDR; false for a malformed one (the API server refuses those). */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const type = isIPv4(base ?? '') ? 'ipv4' : isIPv6(base ?? '') ? 'ipv6' : undefined;
  if (!type || !base || (type === 'ipv4' ? !isIPv4(ip) : !isIPv6(ip))) return false;
  const list = new BlockList();
  list.addSubnet(base, Number(bits ?? (type === 'ipv4' ? 32 : 128)), type);
  return list.check(ip, type);
}

/** Whether a rule's peer (`from` or `to` entry) of a policy in `policyNamespace` matches the other end. */
function peerMatches(peer: Dict, other: NetworkPeer, policyNamespace: string | undefined, view: NetworkView): boolean {
  const block = peer.ipBlock as { cidr?: string; except?: string[] } | undefined;
  if (block) {
    const ip = ipOf(other);
    return !!ip && inCidr(ip, String(block.cidr ?? '')) && !(block.except ?? []).some((c) => inCidr(ip, c));
  }
  if (!('pod' in other)) return false;
  const namespace = other.pod.metadata.namespace;
  if (peer.namespaceSelector === undefined) {
    if (namespace !== policyNamespace) return false;
  } else {
    const labels = view.get('Namespace', undefined, namespace ?? '')?.metadata.labels ?? {
      'kubernetes.io/metadata.name': namespace ?? '',
    };
    if (!policySelectorMatches(peer.namespaceSelector, labels)) return false;
  }
  return peer.podSelector === undefined || policySelectorMatches(peer.podSelector, other.pod.metadata.labels);
}

/** The container port a Service's targetPort (or a port number) reaches on this pod (a name is resolved on the pod). */
export function containerPortOf(pod: SimObject, targetPort: unknown): { number?: number; name?: string } {
  const ports = containersOf(pod).flatMap((c) => (c.ports as Dict[] | undefined) ?? []);
  const found = ports.find((p) => p.name === targetPort || p.containerPort === targetPort);
  if (found) return { number: Number(found.containerPort), name: found.name as string | undefined };
  return typeof targetPort === 'number' ? { number: targetPort } : { name: String(targetPort ?? '') };
}

function portMatches(rule: Dict, port: { number?: number; name?: string }): boolean {
  const ports = (rule.ports as Dict[] | undefined) ?? [];
  if (ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name;
    const start = Number(p.port);
    const end = typeof p.endPort === 'number' ? p.endPort : start;
    return port.number !== undefined && port.number >= start && port.number <= end;
  });
}

/** Whether one of the isolating policies has a rule admitting the peer on the port. */
function someRuleAdmits(
  policies: readonly SimObject[],
  direction: Direction,
  peer: NetworkPeer,
  port: { number?: number; name?: string },
  view: NetworkView,
): boolean {
  const [rules, peers] = direction === 'Ingress' ? ['ingress', 'from'] : ['egress', 'to'];
  return policies.some((policy) =>
    (((policy.spec ?? {}) as Dict)[rules] as Dict[] | undefined)?.some((rule) => {
      const listed = (rule[peers] as Dict[] | undefined) ?? [];
      const matches = listed.length === 0 || listed.some((p) => peerMatches(p, peer, policy.metadata.namespace, view));
      return matches && portMatches(rule, port);
    }),
  );
}

/**
 * Whether a connection from `from` reaches the pod `to` on `targetPort` (a Service's targetPort, a
 * container port's name or number): the source's egress policies, when it is a pod, and the
 * destination's ingress policies must both admit it.
 */
export function allowsConnection(from: NetworkPeer, to: SimObject, targetPort: unknown, view: NetworkView): boolean {
  const port = containerPortOf(to, targetPort);
  if ('pod' in from) {
    const egress = policiesIsolating(from.pod, 'Egress', view);
    if (egress.length > 0 && !someRuleAdmits(egress, 'Egress', { pod: to }, port, view)) return false;
  }
  const ingress = policiesIsolating(to, 'Ingress', view);
  return ingress.length === 0 || someRuleAdmits(ingress, 'Ingress', from, port, view);
}
