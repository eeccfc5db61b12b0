import type { MutationPlan } from './mutation.js';
import type { KubeAccess, RawObject } from './workloads.js';

function podsPath(namespace: string, name?: string): string {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

export interface PodSelection {
  namespace?: string;
  pod?: string;
  selector?: string;
  node?: string;
}

/** The pods a pod.delete step targets: one by name, by label selector, or every pod on a node (all namespaces). */
export async function selectPods(kube: KubeAccess, selection: PodSelection): Promise<RawObject[]> {
  if (selection.pod) return [await kube.get<RawObject>(podsPath(selection.namespace ?? 'default', selection.pod))];
  const fieldSelector = selection.node ? `spec.nodeName=${selection.node}` : undefined;
  const path = selection.namespace && !selection.node ? podsPath(selection.namespace) : '/api/v1/pods';
  const { items } = await kube.list<RawObject>(path, { labelSelector: selection.selector, fieldSelector });
  return items.filter((pod) => !pod.metadata.deletionTimestamp);
}

/** True for pods a controller recreates elsewhere (not DaemonSet pods, not mirror pods). */
export function isReschedulable(pod: RawObject): boolean {
  const owners = pod.metadata.ownerReferences ?? [];
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return false;
  return owners.length > 0 && !owners.some((o) => o.kind === 'DaemonSet');
}

/** Plans deleting one pod, with a uid and resourceVersion precondition so a replaced pod is never hit. */
export function planPodDelete(pod: RawObject): MutationPlan {
  const namespace = pod.metadata.namespace ?? 'default';
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  return {
    target: { kind: 'Pod', namespace, name: pod.metadata.name },
    resourceVersion: pod.metadata.resourceVersion,
    before: { 'spec.nodeName': pod.spec?.nodeName, 'status.phase': pod.status?.phase },
    fields: ['spec.nodeName', 'status.phase'],
    summary: `delete pod ${namespace}/${pod.metadata.name}${owner ? ` (its ${owner.kind} ${owner.name} replaces it)` : ' (no controller: it will not come back)'}`,
    request: {
      method: 'DELETE',
      path: podsPath(namespace, pod.metadata.name),
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
      },
    },
  };
}
