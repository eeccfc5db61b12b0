import { type Clock, pollUntil } from '../../clock.js';
import { isNotFound, type KubeAccess, type RawObject } from '../../kube/access.js';
import type { MutationPlan } from './mutation.js';

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
  return items;
}

/** True for pods a controller recreates elsewhere (not DaemonSet pods, not mirror pods). */
export function isReschedulable(pod: RawObject): boolean {
  const owners = pod.metadata.ownerReferences ?? [];
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return false;
  return owners.length > 0 && !owners.some((o) => o.kind === 'DaemonSet');
}

/**
 * Plans deleting one pod; `apply` re-reads it first and leaves it alone when its uid changed (a
 * replacement of the same name, e.g. a StatefulSet pod, is never hit). A pod already terminating
 * (its node is gone, so it never finishes) is deleted at once, as `kubectl delete --force
 * --grace-period=0` does; that frees a StatefulSet's name for a replacement.
 */
export function planPodDelete(pod: RawObject): MutationPlan {
  const namespace = pod.metadata.namespace ?? 'default';
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  const stuck = Boolean(pod.metadata.deletionTimestamp);
  return {
    target: { kind: 'Pod', namespace, name: pod.metadata.name },
    resourceVersion: pod.metadata.resourceVersion,
    before: { 'spec.nodeName': pod.spec?.nodeName, 'status.phase': pod.status?.phase },
    fields: ['spec.nodeName', 'status.phase'],
    summary: `${stuck ? 'force-delete stuck terminating' : 'delete'} pod ${namespace}/${pod.metadata.name}${owner ? ` (its ${owner.kind} ${owner.name} replaces it)` : ' (no controller: it will not come back)'}`,
    request: {
      method: 'DELETE',
      path: podsPath(namespace, pod.metadata.name),
      query: stuck ? { gracePeriodSeconds: '0' } : undefined,
    },
  };
}

export type PodDeleteOutcome = 'deleted' | 'gone' | 'replaced';

/** Deletes a planned pod unless it is gone or was replaced (another uid) since the plan. */
export async function deletePlannedPod(
  kube: KubeAccess,
  plan: MutationPlan,
  uid: string | undefined,
): Promise<PodDeleteOutcome> {
  let current: RawObject;
  try {
    current = await kube.get<RawObject>(plan.request.path);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return 'gone';
    throw error;
  }
  if (uid && current.metadata.uid !== uid) return 'replaced';
  try {
    await kube.request({ method: 'DELETE', path: plan.request.path, query: plan.request.query });
    return 'deleted';
  } catch (error) {
    if ((error as { status?: number }).status === 404) return 'gone';
    throw error;
  }
}

/**
 * Waits until every listed pod is gone (a pod re-created under the same name has another uid, so
 * it counts as gone). Returns the pods still there when the time is up.
 */
export async function waitForPodsGone(
  kube: KubeAccess,
  pods: readonly { namespace?: string; name: string; uid?: string }[],
  options: { clock: Clock; signal: AbortSignal; timeoutMs: number },
): Promise<{ namespace?: string; name: string }[]> {
  let remaining = [...pods];
  await pollUntil(options.clock, options.signal, options.timeoutMs, async () => {
    const still: typeof remaining = [];
    for (const pod of remaining) {
      try {
        const current = await kube.get<RawObject>(podsPath(pod.namespace ?? 'default', pod.name));
        if (!pod.uid || current.metadata.uid === pod.uid) still.push(pod);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    remaining = still;
    return remaining.length === 0 || undefined;
  });
  return remaining;
}
