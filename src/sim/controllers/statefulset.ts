/**
 * The StatefulSet controller, after upstream's stateful_set_control: pods `<name>-0…N-1` labelled
 * with `controller-revision-hash` (the revision's name), `statefulset.kubernetes.io/pod-name` and
 * `apps.kubernetes.io/pod-index`. With `podManagementPolicy: OrderedReady` (the default) each pod
 * is created once the one before is Running and Ready, and any pod that is not makes the controller
 * wait; a RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time.
 * So a pod of a bad revision that never becomes Ready blocks a rollback for ever, upstream's
 * "forced rollback" case: the pod has to be deleted by hand. `Parallel` creates and replaces without
 * waiting. Status as `kubectl rollout status` reads it.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { REVISION_HASH_LABEL, syncControllerRevision } from './controller-revision.js';
import { recordEvent } from './events.js';
import { terminatePod } from './pod.js';
import { isPodReady, podFromTemplate, podsOwnedBy } from './replicaset.js';
import { clone, type Dict, deepEqual, isDeleting } from './util.js';

const SOURCE = { component: 'statefulset-controller' };

export const statefulSetController: Controller = {
  name: 'statefulset',
  reconcile(state) {
    for (const sts of state.list('StatefulSet')) {
      if (isDeleting(sts)) continue;
      syncStatefulSet(
        state,
        sts,
        podsOwnedBy(state, sts).filter((p) => !isDeleting(p)),
      );
    }
  },
};

function ordinal(pod: SimObject): number {
  return Number.parseInt(pod.metadata.name.split('-').at(-1) ?? '0', 10);
}

/** A StatefulSet pod carries its revision's name (not only the hash, as a DaemonSet's pods do). */
function revisionOf(pod: SimObject): string | undefined {
  return pod.metadata.labels?.[REVISION_HASH_LABEL];
}

function syncStatefulSet(state: ClusterState, sts: SimObject, pods: SimObject[]): void {
  const spec = (sts.spec ?? {}) as Dict;
  const replicas = (spec.replicas as number | undefined) ?? 1;
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const revision = syncControllerRevision(state, sts);
  const byOrdinal = new Map(pods.map((pod) => [ordinal(pod), pod]));
  const live = pods.filter((p) => ordinal(p) < replicas).sort((a, b) => ordinal(a) - ordinal(b));
  const blocked = createMissing(state, sts, byOrdinal, replicas, revision.metadata.name, monotonic, live);
  if (!blocked) {
    deleteCondemned(state, sts, pods, replicas, monotonic);
    if (!monotonic || pods.every((p) => ordinal(p) < replicas)) rollingUpdate(state, sts, live, revision);
  }
  writeStatus(state, sts, live, revision);
}

/**
 * Creates the missing pods in ordinal order. Returns true when the controller must wait: with
 * OrderedReady, at the first pod just created or not Running and Ready.
 */
function createMissing(
  state: ClusterState,
  sts: SimObject,
  byOrdinal: Map<number, SimObject>,
  replicas: number,
  revisionName: string,
  monotonic: boolean,
  live: SimObject[],
): boolean {
  const spec = (sts.spec ?? {}) as Dict;
  for (let i = 0; i < replicas; i++) {
    const existing = byOrdinal.get(i);
    if (existing) {
      if (monotonic && !isPodReady(existing)) return true;
      continue;
    }
    const name = `${sts.metadata.name}-${i}`;
    const pod = podFromTemplate(sts, clone((spec.template ?? {}) as Dict), name, {
      [REVISION_HASH_LABEL]: revisionName,
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(i),
    });
    (pod.spec as Dict).hostname = name;
    if (spec.serviceName) (pod.spec as Dict).subdomain = spec.serviceName;
    live.push(state.create(pod));
    live.sort((a, b) => ordinal(a) - ordinal(b));
    const message = `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`;
    recordEvent(state, sts, 'Normal', 'SuccessfulCreate', message, SOURCE);
    if (monotonic) return true;
  }
  return false;
}

/** Pods past the replica count go, the highest ordinal first (one at a time with OrderedReady). */
function deleteCondemned(
  state: ClusterState,
  sts: SimObject,
  pods: SimObject[],
  replicas: number,
  monotonic: boolean,
): void {
  const condemned = pods.filter((p) => ordinal(p) >= replicas).sort((a, b) => ordinal(b) - ordinal(a));
  for (const pod of monotonic ? condemned.slice(0, 1) : condemned) {
    terminatePod(state, pod);
    const message = `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`;
    recordEvent(state, sts, 'Normal', 'SuccessfulDelete', message, SOURCE);
  }
}

/**
 * RollingUpdate: from the highest ordinal down to the partition, the first pod of another revision
 * is deleted (it comes back from the current template); an unhealthy pod of the update revision on
 * the way makes the controller wait.
 */
function rollingUpdate(state: ClusterState, sts: SimObject, live: SimObject[], revision: SimObject): void {
  const strategy = (((sts.spec ?? {}) as Dict).updateStrategy ?? {}) as Dict;
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const partition = ((strategy.rollingUpdate ?? {}) as Dict).partition as number | undefined;
  for (const pod of [...live].reverse()) {
    if (ordinal(pod) < (partition ?? 0)) return;
    if (revisionOf(pod) !== revision.metadata.name) {
      terminatePod(state, pod);
      return;
    }
    if (!isPodReady(pod)) return;
  }
}

function writeStatus(state: ClusterState, sts: SimObject, pods: SimObject[], revision: SimObject): void {
  const updateRevision = revision.metadata.name;
  const alive = pods.filter((p) => state.get('Pod', p.metadata.namespace, p.metadata.name));
  const updated = alive.filter((p) => revisionOf(p) === updateRevision);
  const previous = (sts.status ?? {}) as Dict;
  const replicas = (((sts.spec ?? {}) as Dict).replicas as number | undefined) ?? 1;
  const ready = alive.filter(isPodReady).length;
  // Upstream completes a rolling update once every pod is of the update revision and Ready.
  const complete = updated.length === replicas && alive.length === replicas && ready === replicas;
  const currentRevision = complete || !previous.currentRevision ? updateRevision : String(previous.currentRevision);
  const status: Dict = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: alive.length,
    readyReplicas: ready,
    currentReplicas: alive.filter((p) => revisionOf(p) === currentRevision).length,
    updatedReplicas: updated.length,
    availableReplicas: ready,
    currentRevision,
    updateRevision,
    collisionCount: 0,
  };
  if (deepEqual(previous, status)) return;
  state.update({ ...sts, status });
}
