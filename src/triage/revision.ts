import type { Workload } from './k8s.js';
import type { Snapshot } from './snapshot.js';

/** The revision a Deployment controller gives each of its ReplicaSets. */
const REVISION = 'deployment.kubernetes.io/revision';

export function revisionOf(object: Workload): number {
  const value = Number(object.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

const ownersIndex = new WeakMap<Snapshot, Map<string, Workload[]>>();

/** ReplicaSets a deployment controls (by owner uid, as kubectl matches them; by name when uids are missing). */
export function ownedReplicaSets(snapshot: Snapshot, deployment: Workload): Workload[] {
  let index = ownersIndex.get(snapshot);
  if (!index) {
    index = new Map();
    for (const rs of snapshot.replicasets) {
      for (const ref of rs.metadata.ownerReferences ?? []) {
        if (ref.kind !== 'Deployment') continue;
        for (const key of [`uid:${ref.uid}`, `name:${rs.metadata.namespace}/${ref.name}`]) {
          const list = index.get(key);
          if (list) list.push(rs);
          else index.set(key, [rs]);
        }
      }
    }
    ownersIndex.set(snapshot, index);
  }
  const { uid, namespace, name } = deployment.metadata;
  return index.get(uid ? `uid:${uid}` : `name:${namespace}/${name}`) ?? [];
}
