import type { NetworkPolicy, Workload } from './k8s.js';
import type { Snapshot } from './snapshot.js';
import type { ObjectRef } from './types.js';

const WORKLOAD_LISTS = [
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulsets'],
  ['DaemonSet', 'daemonsets'],
] as const;

/** matchLabels, as the network check reads a policy's podSelector; `{}` selects every pod. */
export function policySelects(policy: NetworkPolicy, labels: Record<string, string> | undefined): boolean {
  const wanted = policy.spec?.podSelector?.matchLabels ?? {};
  return Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
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
