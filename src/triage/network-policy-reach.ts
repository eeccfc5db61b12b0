import { labelSelectorMatches } from '../label-selector.js';
import type { NetworkPolicy, Workload } from './k8s.js';
import type { Snapshot } from './snapshot.js';
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
