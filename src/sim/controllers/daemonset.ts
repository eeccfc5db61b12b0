/**
 * The DaemonSet controller: one pod per Ready node that the pod tolerates, bound to its node,
 * labelled with `controller-revision-hash`; a RollingUpdate replaces outdated pods as upstream's
 * rollingUpdate does (see daemonset-update.ts); status fields as `kubectl rollout status` reads them.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { REVISION_HASH_LABEL, revisionHash, syncControllerRevision } from './controller-revision.js';
import { outdatedPodsToReplace } from './daemonset-update.js';
import { recordEvent } from './events.js';
import { UNSCHEDULABLE_TAINT } from './node.js';
import { nodeLostSince, terminatePod } from './pod.js';
import { isPodReady, podFromTemplate, podsOwnedBy } from './replicaset.js';
import { tolerates } from './scheduler.js';
import { clone, type Dict, deepEqual, isDeleting, iso, randomSuffix } from './util.js';

const SOURCE = { component: 'daemonset-controller' };

export const daemonSetController: Controller = {
  name: 'daemonset',
  reconcile(state) {
    const daemonSets = state.list('DaemonSet');
    if (daemonSets.length === 0) return;
    const nodes = state.list('Node');
    for (const ds of daemonSets) {
      if (isDeleting(ds)) continue;
      syncDaemonSet(
        state,
        ds,
        nodes,
        podsOwnedBy(state, ds).filter((p) => !isDeleting(p)),
      );
    }
  },
};

/** The DaemonSet controller adds this toleration to every daemon pod: cordoning does not remove them. */
const DAEMON_TOLERATIONS: Dict[] = [{ key: UNSCHEDULABLE_TAINT, operator: 'Exists', effect: 'NoSchedule' }];

function eligible(ds: SimObject, node: SimObject): boolean {
  if (nodeLostSince(node) !== undefined) return false;
  const template = (((ds.spec ?? {}) as Dict).template ?? {}) as Dict;
  const own = (((template.spec ?? {}) as Dict).tolerations as Dict[] | undefined) ?? [];
  const tolerations = [...own, ...DAEMON_TOLERATIONS];
  const taints = ((((node.spec ?? {}) as Dict).taints as Dict[] | undefined) ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  return taints.every((taint) => tolerations.some((t) => tolerates(t, taint)));
}

function syncDaemonSet(state: ClusterState, ds: SimObject, nodes: SimObject[], pods: SimObject[]): void {
  const revision = syncControllerRevision(state, ds);
  const hash = revisionHash(revision);
  const spec = (ds.spec ?? {}) as Dict;
  const targets = nodes.filter((node) => eligible(ds, node));
  const byNode = new Map(pods.map((pod) => [String((pod.spec as Dict).nodeName), pod]));
  const live = [...pods];
  for (const node of targets) {
    if (byNode.has(node.metadata.name)) continue;
    const pod = podFromTemplate(ds, clone((spec.template ?? {}) as Dict), `${ds.metadata.name}-${randomSuffix()}`, {
      [REVISION_HASH_LABEL]: hash,
    });
    (pod.spec as Dict).nodeName = node.metadata.name;
    // The DaemonSet controller's tolerations: its pods stay on a node through not-ready and unreachable.
    (pod.spec as Dict).tolerations = [
      ...(((pod.spec as Dict).tolerations as Dict[]) ?? []).filter((t) => t.tolerationSeconds === undefined),
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    ];
    pod.status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(state.now()) }],
    };
    live.push(state.create(pod));
    recordEvent(state, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
  }
  const updateType = ((spec.updateStrategy ?? {}) as Dict).type ?? 'RollingUpdate';
  if (updateType === 'RollingUpdate') {
    const now = state.now().getTime();
    for (const outdated of outdatedPodsToReplace(ds, targets.length, live, hash, now)) {
      terminatePod(state, outdated);
      recordEvent(state, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${outdated.metadata.name}`, SOURCE);
    }
  }
  const onTargets = live.filter((p) => targets.some((n) => n.metadata.name === (p.spec as Dict).nodeName));
  const ready = onTargets.filter(isPodReady).length;
  const status: Dict = {
    currentNumberScheduled: onTargets.length,
    desiredNumberScheduled: targets.length,
    numberMisscheduled: live.length - onTargets.length,
    numberReady: ready,
    numberAvailable: ready,
    numberUnavailable: targets.length - ready,
    updatedNumberScheduled: onTargets.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash).length,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  for (const key of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'])
    if (status[key] === 0) delete status[key];
  if (deepEqual(ds.status, status)) return;
  state.update({ ...ds, status });
}
