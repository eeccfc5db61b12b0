/**
 * The StatefulSet controller: pods `<name>-0…N-1` created in order (each waits for the one
 * before to be Ready), labelled with `controller-revision-hash`, `statefulset.kubernetes.io/pod-name`
 * and `apps.kubernetes.io/pod-index`; a RollingUpdate replaces pods from the highest ordinal down,
 * one at a time, once the rest are Ready; status as `kubectl rollout status` reads it.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { REVISION_HASH_LABEL, revisionHash, syncControllerRevision } from './controller-revision.js';
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

function syncStatefulSet(state: ClusterState, sts: SimObject, pods: SimObject[]): void {
  const spec = (sts.spec ?? {}) as Dict;
  const replicas = (spec.replicas as number | undefined) ?? 1;
  const revision = syncControllerRevision(state, sts);
  const hash = revisionHash(revision);
  const byOrdinal = new Map(pods.map((pod) => [ordinal(pod), pod]));
  const live = [...pods];
  for (let i = 0; i < replicas; i++) {
    if (byOrdinal.has(i)) {
      if (!isPodReady(byOrdinal.get(i)!)) break;
      continue;
    }
    const name = `${sts.metadata.name}-${i}`;
    const template = clone((spec.template ?? {}) as Dict);
    const pod = podFromTemplate(sts, template, name, {
      [REVISION_HASH_LABEL]: hash,
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(i),
    });
    (pod.spec as Dict).hostname = name;
    if (spec.serviceName) (pod.spec as Dict).subdomain = spec.serviceName;
    live.push(state.create(pod));
    recordEvent(
      state,
      sts,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`,
      SOURCE,
    );
    break;
  }
  for (const pod of live
    .filter((p) => ordinal(p) >= replicas)
    .sort((a, b) => ordinal(b) - ordinal(a))
    .slice(0, 1)) {
    terminatePod(state, pod);
    recordEvent(
      state,
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
      SOURCE,
    );
  }
  const inRange = live.filter((p) => ordinal(p) < replicas);
  const updateType = ((spec.updateStrategy ?? {}) as Dict).type ?? 'RollingUpdate';
  if (updateType === 'RollingUpdate' && inRange.length === replicas && inRange.every(isPodReady)) {
    const outdated = inRange
      .filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== hash)
      .sort((a, b) => ordinal(b) - ordinal(a));
    if (outdated[0]) terminatePod(state, outdated[0]);
  }
  writeStatus(state, sts, inRange, revision);
}

function writeStatus(state: ClusterState, sts: SimObject, pods: SimObject[], revision: SimObject): void {
  const updateRevision = revision.metadata.name;
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === revisionHash(revision));
  const previous = (sts.status ?? {}) as Dict;
  const replicas = (((sts.spec ?? {}) as Dict).replicas as number | undefined) ?? 1;
  const complete = updated.length === replicas && pods.length === replicas;
  const currentRevision = complete || !previous.currentRevision ? updateRevision : previous.currentRevision;
  const status: Dict = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: pods.length,
    readyReplicas: pods.filter(isPodReady).length,
    currentReplicas: currentRevision === updateRevision ? updated.length : pods.length - updated.length,
    updatedReplicas: updated.length,
    availableReplicas: pods.filter(isPodReady).length,
    currentRevision,
    updateRevision,
    collisionCount: 0,
  };
  if (deepEqual(previous, status)) return;
  state.update({ ...sts, status });
}
