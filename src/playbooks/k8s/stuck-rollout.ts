import type { KubeAccess, RawObject } from '../../kube/access.js';
import { listOwnedReplicaSets, revisionOf } from './rollout-history.js';
import { describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

/** Waiting reasons that no amount of waiting fixes: the new pods will never become available. */
export const STUCK_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** maxSurge as a count (kube rounds a percentage up; default 25%). */
function maxSurge(deployment: RawObject, desired: number): number {
  const value = deployment.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value));
  return percent ? Math.ceil((desired * Number(percent[1])) / 100) : Number(value) || 0;
}

export interface StuckRollout {
  /** "revision 2's pods are in CrashLoopBackOff". */
  reason: string;
  /** "api-587fc68c9c: 1, api-6fd8c5d757: 1": the ReplicaSets' sizes, what scale controls. */
  sizes: string;
}

/**
 * A Deployment whose rollout cannot finish: the progress deadline passed, or the newest
 * ReplicaSet's pods wait for a reason time does not cure. Its pod count then never matches the
 * replicas asked for (the surge pod stays), so waiting for it is pointless.
 */
export async function findStuckRollout(kube: KubeAccess, ref: WorkloadRef): Promise<StuckRollout | undefined> {
  if (ref.kind !== 'Deployment') return undefined;
  const deployment = await kube.get<RawObject>(workloadPath(ref));
  const owned = (await listOwnedReplicaSets(kube, deployment)).sort(
    (a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0),
  );
  const newest = owned[0];
  const active = owned.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (!newest || active.length < 2) return undefined;
  const sizes = active.map((rs) => `${rs.metadata.name}: ${rs.spec?.replicas ?? 0}`).join(', ');
  // Until the controller has resized the ReplicaSets to the new count (plus its surge), scale is not done.
  const total = active.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
  const desired = deployment.spec?.replicas ?? 1;
  if (total > desired + maxSurge(deployment, desired)) return undefined;
  const revision = revisionOf(newest) ?? 0;
  const progressing = (deployment.status?.conditions as { type: string; reason?: string }[] | undefined)?.find(
    (c) => c.type === 'Progressing',
  );
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { reason: `revision ${revision} exceeded its progress deadline`, sizes };
  const hash = newest.metadata.labels?.['pod-template-hash'];
  if (!hash) return undefined;
  const pods = await kube.list<RawObject>(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods`, {
    labelSelector: `pod-template-hash=${hash}`,
  });
  for (const pod of pods.items) {
    const statuses = (pod.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
    const waiting = statuses.map((s) => s.state?.waiting?.reason).find((r) => r && STUCK_REASONS.has(r));
    if (waiting) return { reason: `revision ${revision}'s pods are in ${waiting}`, sizes };
  }
  return undefined;
}

/** What scale says when it did its part but the rollout will never let the pod count settle. */
export function describeStuckScale(ref: WorkloadRef, replicas: number, stuck: StuckRollout): string {
  return `${describeWorkload(ref)} is scaled to ${replicas} (spec.replicas, and its ReplicaSets: ${stuck.sizes}), but its rollout is stuck: ${stuck.reason}, so the pod count cannot settle; roll back: inc run rollback --set namespace=${ref.namespace} --set deployment=${ref.name}`;
}
