import { labelSelectorMatches } from '../label-selector.js';
import { selectorMatches } from './checks/services.js';
import type { NetworkPolicy, PolicyRule, Service, Workload } from './k8s.js';
import { allPods, type Snapshot } from './snapshot.js';
import type { ObjectRef } from './types.js';

const WORKLOAD_LISTS = [
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulsets'],
  ['DaemonSet', 'daemonsets'],
] as const;

/** The policy's podSelector (matchLabels and matchExpressions) selects these labels; `{}` selects every pod. */
export function policySelects(policy: NetworkPolicy, labels: Record<string, string> | undefined): boolean {
  return labelSelectorMatches(policy.spec?.podSelector ?? {}, labels);
}

/**
 * The workloads of the policy's namespace whose pods it selects (by their pod template's labels):
 * a failure of one of them after the policy changed points at the policy.
 */
export function workloadsSelectedBy(snapshot: Snapshot, policy: NetworkPolicy): ObjectRef[] {
  const namespace = policy.metadata.namespace;
  return WORKLOAD_LISTS.flatMap(([kind, list]) =>
    (snapshot[list] as readonly Workload[])
      .filter((w) => w.metadata.namespace === namespace && policySelects(policy, w.spec?.template?.metadata?.labels))
      .map((w) => ({ kind, namespace, name: w.metadata.name })),
  );
}

/** The policy isolates the pods it selects for this direction: Ingress always unless policyTypes leaves it out. */
function enforces(policy: NetworkPolicy, direction: 'Ingress' | 'Egress'): boolean {
  const types = policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  return types.includes(direction);
}

const admitsEverything = (rule: PolicyRule) =>
  (rule.from ?? rule.to ?? []).length === 0 && (rule.ports ?? []).length === 0;

/** A policy that enforces Ingress and has no ingress rule isolates the pods it selects. */
export function admitsNoIngress(policy: NetworkPolicy): boolean {
  return enforces(policy, 'Ingress') && (policy.spec?.ingress ?? []).length === 0;
}

/**
 * Whether the policy can drop traffic of the pods it selects: it enforces a direction whose rules do
 * not admit every peer on every port. A policy whose only effect is `ingress: [{}]` drops nothing,
 * and reverting it cannot bring traffic back.
 */
export function canDropTraffic(policy: NetworkPolicy): boolean {
  const drops = (direction: 'Ingress' | 'Egress', rules: readonly PolicyRule[] | undefined) =>
    enforces(policy, direction) && !(rules ?? []).some(admitsEverything);
  return drops('Ingress', policy.spec?.ingress) || drops('Egress', policy.spec?.egress);
}

/** The Services of the policy's namespace with a pod the policy selects. */
export function servicesSelectedBy(snapshot: Snapshot, policy: NetworkPolicy): Service[] {
  const namespace = policy.metadata.namespace;
  const pods = allPods(snapshot).filter(
    (pod) => pod.metadata.namespace === namespace && policySelects(policy, pod.metadata.labels),
  );
  return snapshot.services.filter(
    (s) =>
      s.metadata.namespace === namespace &&
      s.spec?.selector &&
      Object.keys(s.spec.selector).length > 0 &&
      pods.some((pod) => selectorMatches(s.spec?.selector ?? {}, pod.metadata.labels)),
  );
}

/**
 * The other Ingress policies of the namespace that have ingress rules and select every pod behind
 * `services` that `policy` selects: those pods still take what the rules admit (NetworkPolicies are a
 * union of allowances).
 */
export function otherAdmitting(snapshot: Snapshot, policy: NetworkPolicy, services: readonly Service[]): string[] {
  const namespace = policy.metadata.namespace;
  const pods = allPods(snapshot).filter(
    (pod) =>
      pod.metadata.namespace === namespace &&
      policySelects(policy, pod.metadata.labels) &&
      services.some((s) => selectorMatches(s.spec?.selector ?? {}, pod.metadata.labels)),
  );
  if (pods.length === 0) return [];
  return snapshot.networkPolicies
    .filter(
      (other) =>
        other !== policy &&
        other.metadata.namespace === namespace &&
        enforces(other, 'Ingress') &&
        (other.spec?.ingress ?? []).length > 0 &&
        pods.every((pod) => policySelects(other, pod.metadata.labels)),
    )
    .map((other) => `${namespace}/${other.metadata.name}`);
}

/**
 * Whether reverting the policy alone can bring traffic back: it can drop traffic, and what it drops is
 * not already decided by another policy's rules over the same pods.
 */
export function revertCanHelp(snapshot: Snapshot, policy: NetworkPolicy): boolean {
  if (!canDropTraffic(policy)) return false;
  return !(
    admitsNoIngress(policy) && otherAdmitting(snapshot, policy, servicesSelectedBy(snapshot, policy)).length > 0
  );
}
