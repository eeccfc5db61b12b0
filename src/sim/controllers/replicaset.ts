/**
 * The ReplicaSet controller: keeps `spec.replicas` pods (named `<rs>-<5 chars>`, labelled from the
 * template, controlled by the ReplicaSet), replaces deleted or evicted pods, scales down the
 * least useful pods first (unscheduled, pending, not ready, newest) and reports status.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { terminatePod } from './pod.js';
import { isTerminal } from './resources.js';
import {
  clone,
  controllerOf,
  type Dict,
  deepEqual,
  findCondition,
  isDeleting,
  ms,
  ownerReference,
  randomSuffix,
  SnapshotMemo,
} from './util.js';

const SOURCE = { component: 'replicaset-controller' };

/** The pods of one namespace that `owner` controls (a cheap path when owners are few). */
export function podsOwnedBy(state: ClusterState, owner: SimObject): SimObject[] {
  const uid = owner.metadata.uid;
  return state.list('Pod', owner.metadata.namespace).filter((pod) => controllerOf(pod)?.uid === uid);
}

/** Pods grouped by the uid of their controlling owner. */
export function podsByOwner(state: ClusterState): Map<string, SimObject[]> {
  const byOwner = new Map<string, SimObject[]>();
  for (const pod of state.list('Pod')) {
    const owner = controllerOf(pod);
    if (!owner) continue;
    const pods = byOwner.get(owner.uid);
    if (pods) pods.push(pod);
    else byOwner.set(owner.uid, [pod]);
  }
  return byOwner;
}

export function isPodReady(pod: SimObject): boolean {
  return findCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds, as the controllers count availability. */
export function isPodAvailable(pod: SimObject, minReadySeconds: number, now: number): boolean {
  const ready = findCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  return ms(ready.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** A pod made from a template for its owner (ReplicaSet, StatefulSet, DaemonSet). */
export function podFromTemplate(
  owner: SimObject,
  template: Dict,
  name: string,
  extraLabels: Record<string, string> = {},
) {
  const metadata = (template.metadata ?? {}) as Dict;
  const pod: SimObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...((metadata.labels ?? {}) as Record<string, string>), ...extraLabels },
      ownerReferences: [ownerReference(owner)],
    },
    spec: clone((template.spec ?? {}) as Dict),
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations && Object.keys(annotations).length > 0) pod.metadata.annotations = { ...annotations };
  const podSpec = pod.spec as Dict;
  podSpec.restartPolicy ??= 'Always';
  podSpec.terminationGracePeriodSeconds ??= 30;
  podSpec.dnsPolicy ??= 'ClusterFirst';
  podSpec.schedulerName ??= 'default-scheduler';
  podSpec.serviceAccountName ??= 'default';
  podSpec.tolerations = [
    ...((podSpec.tolerations as Dict[] | undefined) ?? []),
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];
  return pod;
}

/** Order in which pods go when scaling down: unassigned, pending, not ready, then newest first. */
export function scaleDownOrder(a: SimObject, b: SimObject): number {
  const rank = (pod: SimObject) => [
    (pod.spec as Dict | undefined)?.nodeName ? 1 : 0,
    (pod.status as Dict | undefined)?.phase === 'Running' ? 1 : 0,
    isPodReady(pod) ? 1 : 0,
  ];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}

const memo = new SnapshotMemo();

export const replicaSetController: Controller = {
  name: 'replicaset',
  reconcile(state) {
    const byOwner = podsByOwner(state);
    const now = state.now().getTime();
    for (const rs of state.list('ReplicaSet')) {
      if (isDeleting(rs)) continue;
      const uid = rs.metadata.uid ?? rs.metadata.name;
      const owned = byOwner.get(uid) ?? [];
      const refs = [rs, ...owned];
      const timed = (((rs.spec ?? {}) as Dict).minReadySeconds as number | undefined) ?? 0;
      if (timed === 0 && memo.unchanged(state, uid, refs)) continue;
      memo.remember(state, uid, refs);
      const pods = owned.filter((p) => !isDeleting(p) && !isTerminal(p));
      const rsSpec = (rs.spec ?? {}) as Dict;
      const desired = (rsSpec.replicas as number | undefined) ?? 1;
      const live = syncReplicas(state, rs, pods, desired);
      writeStatus(state, rs, live, now);
    }
  },
};

function syncReplicas(state: ClusterState, rs: SimObject, pods: SimObject[], desired: number): SimObject[] {
  const template = ((rs.spec ?? {}) as Dict).template as Dict | undefined;
  if (!template) return pods;
  const live = [...pods];
  for (let i = pods.length; i < desired; i++) {
    const pod = state.create(podFromTemplate(rs, template, uniquePodName(state, rs)));
    recordEvent(state, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
    live.push(pod);
  }
  if (pods.length > desired) {
    const doomed = [...pods].sort(scaleDownOrder).slice(0, pods.length - desired);
    for (const pod of doomed) {
      terminatePod(state, pod);
      recordEvent(state, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
    }
    return live.filter((pod) => !doomed.includes(pod));
  }
  return live;
}

function uniquePodName(state: ClusterState, owner: SimObject): string {
  for (;;) {
    const name = `${owner.metadata.name}-${randomSuffix()}`;
    if (!state.get('Pod', owner.metadata.namespace, name)) return name;
  }
}

function writeStatus(state: ClusterState, rs: SimObject, pods: SimObject[], now: number): void {
  const rsSpec = (rs.spec ?? {}) as Dict;
  const minReady = (rsSpec.minReadySeconds as number | undefined) ?? 0;
  const templateLabels = (((rsSpec.template ?? {}) as Dict).metadata as Dict | undefined)?.labels as
    | Record<string, string>
    | undefined;
  const current = (rs.status ?? {}) as Dict;
  const desired: Dict = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) =>
      Object.entries(templateLabels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v),
    ).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (current.conditions) desired.conditions = current.conditions;
  // Zero counts are omitted on the wire (omitempty), except replicas.
  for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
    if (desired[key] === 0) delete desired[key];
  if (deepEqual(current, desired)) return;
  state.update({ ...rs, status: desired });
}
