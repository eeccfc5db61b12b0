/**
 * NetworkPolicies applied to the simulated traffic, as a CNI enforces networking.k8s.io/v1 ingress
 * rules. A pod selected by a policy whose policyTypes include Ingress is isolated: it takes only what
 * one of those policies' rules admits. The simulated clients of a Service come from outside its
 * namespace and from no pod a policy could name (an ingress controller, another team's service), so
 * a rule admits them when it names no source, or a source that selects every namespace, or an
 * ipBlock (client addresses are not modelled); and when it names no port, or the port they reach.
 */
import type { SimObject } from '../cluster-state.js';
import { containersOf } from '../controllers/resources.js';
import { type Dict, matchesExpression } from '../controllers/util.js';

type Labels = Record<string, string> | undefined;

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

/** The policyTypes a policy enforces, as the API server defaults them. */
function policyTypes(policy: SimObject): string[] {
  const spec = (policy.spec ?? {}) as Dict;
  const types = spec.policyTypes as string[] | undefined;
  if (types && types.length > 0) return types;
  return ['Ingress', ...(((spec.egress as Dict[] | undefined) ?? []).length > 0 ? ['Egress'] : [])];
}

/** The ingress policies of the pod's namespace that select it. */
export function ingressPoliciesOf(pod: SimObject, policies: readonly SimObject[]): SimObject[] {
  return policies.filter(
    (policy) =>
      policy.metadata.namespace === pod.metadata.namespace &&
      policyTypes(policy).includes('Ingress') &&
      policySelectorMatches(((policy.spec ?? {}) as Dict).podSelector, pod.metadata.labels),
  );
}

function admitsClients(peer: Dict): boolean {
  if (peer.ipBlock) return true;
  return peer.namespaceSelector !== undefined && selectsAll(peer.namespaceSelector) && selectsAll(peer.podSelector);
}

/** The container port a Service's targetPort reaches on this pod (a name is resolved on the pod). */
function containerPortOf(pod: SimObject, targetPort: unknown): { number?: number; name?: string } {
  const ports = containersOf(pod).flatMap((c) => (c.ports as Dict[] | undefined) ?? []);
  const found = ports.find((p) => p.name === targetPort || p.containerPort === targetPort);
  if (found) return { number: Number(found.containerPort), name: found.name as string | undefined };
  return typeof targetPort === 'number' ? { number: targetPort } : { name: String(targetPort ?? '') };
}

function admitsPort(rule: Dict, port: { number?: number; name?: string }): boolean {
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

/**
 * Whether the Service's clients reach this pod on the Service's port: always, unless an ingress
 * policy selects the pod and none of the selecting policies has a rule that admits them.
 */
export function admitsServiceTraffic(
  pod: SimObject,
  servicePort: Dict | undefined,
  policies: readonly SimObject[],
): boolean {
  const selecting = ingressPoliciesOf(pod, policies);
  if (selecting.length === 0) return true;
  const port = containerPortOf(pod, servicePort?.targetPort ?? servicePort?.port);
  return selecting.some((policy) =>
    (((policy.spec ?? {}) as Dict).ingress as Dict[] | undefined)?.some((rule) => {
      const from = (rule.from as Dict[] | undefined) ?? [];
      return (from.length === 0 || from.some(admitsClients)) && admitsPort(rule, port);
    }),
  );
}
