/**
 * The pod garbage collector's orphan pass (kube-controller-manager's podgc, gcOrphaned): a pod
 * bound to a node that no longer exists is, once the node has been missing for the quarantine
 * time, marked Failed with a DisruptionTarget condition (DeletionByPodGC) and force-deleted, so
 * its controller replaces it on a node that does. `kubectl delete node` on a dead node is how an
 * operator gets there.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { isTerminal } from './resources.js';
import { clone, type Dict, iso, scratch, setCondition } from './util.js';

/** podgc waits this long after it first sees a node missing before it acts (its quarantineTime). */
export const ORPHAN_QUARANTINE_MS = 40_000;

const missingSince = new WeakMap<ClusterState, Map<string, number>>();

export const podGcController: Controller = {
  name: 'podgc',
  reconcile(state) {
    const now = state.now().getTime();
    const nodes = new Set(state.list('Node').map((node) => node.metadata.name));
    const seen = scratch(missingSince, state, () => new Map<string, number>());
    const orphans = state.list('Pod').filter((pod) => {
      const nodeName = (pod.spec as Dict | undefined)?.nodeName;
      return typeof nodeName === 'string' && nodeName !== '' && !nodes.has(nodeName);
    });
    const missing = new Set(orphans.map((pod) => String((pod.spec as Dict).nodeName)));
    for (const name of seen.keys()) if (!missing.has(name)) seen.delete(name);
    for (const name of missing) if (!seen.has(name)) seen.set(name, now);
    for (const pod of orphans) {
      const since = seen.get(String((pod.spec as Dict).nodeName)) ?? now;
      if (now - since >= ORPHAN_QUARANTINE_MS) collectOrphan(state, pod, now);
    }
  },
};

function collectOrphan(state: ClusterState, pod: SimObject, now: number): void {
  if (!isTerminal(pod)) {
    const next = clone(pod);
    const status = (next.status ?? {}) as Dict;
    status.phase = 'Failed';
    status.conditions = setCondition(
      (status.conditions as Dict[] | undefined) ?? [],
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByPodGC',
        message: 'PodGC: node no longer exists',
      },
      iso(now),
    );
    next.status = status;
    state.update(next);
  }
  // Force-deleted (grace period 0): nobody is left on the node to confirm the termination.
  state.delete('Pod', pod.metadata.namespace, pod.metadata.name);
}
