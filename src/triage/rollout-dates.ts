import type { KEvent, Workload } from './k8s.js';
import { ownedReplicaSets, revisionOf } from './revision.js';
import type { Snapshot } from './snapshot.js';
import { isRestart } from './template-changes.js';
import { eventFirstSeen, eventLastSeen, toMs } from './time.js';

/**
 * When a Deployment moved to a ReplicaSet's revision. A new ReplicaSet is created for the move;
 * a rollback re-adopts an old one, whose creation is long past: then the move is the first sign of
 * it after the newer ReplicaSets were made — that ReplicaSet scaled up, a newer one scaled down,
 * or the Progressing condition naming it.
 */
export function movedToRevisionAt(
  deployment: Workload,
  replicaSet: Workload,
  owned: readonly Workload[],
  scalingEvents: readonly KEvent[],
): number {
  const created = toMs(replicaSet.metadata.creationTimestamp) ?? 0;
  const revision = revisionOf(replicaSet);
  // Re-adopted: a ReplicaSet made after this one holds an older revision.
  const newer = owned
    .filter((rs) => rs !== replicaSet && revisionOf(rs) < revision)
    .map((rs) => toMs(rs.metadata.creationTimestamp) ?? 0)
    .filter((ms) => ms > created);
  if (newer.length === 0) return created;
  const since = Math.max(...newer);
  const name = replicaSet.metadata.name;
  const others = new Set(owned.filter((rs) => rs !== replicaSet).map((rs) => rs.metadata.name));
  const signs: number[] = [];
  for (const event of scalingEvents) {
    if (!ofDeployment(event, deployment)) continue;
    const message = event.message ?? '';
    const up = new RegExp(`^Scaled up replica set ${escapeRegExp(name)}\\b`).test(message);
    const downOther = /^Scaled down replica set (\S+)/.exec(message);
    if (!up && !(downOther && others.has(downOther[1] ?? ''))) continue;
    // An aggregated event keeps its first time from long ago: its last time is when it happened again.
    const first = eventFirstSeen(event) ?? 0;
    const at = first >= since ? first : (eventLastSeen(event) ?? 0);
    if (at >= since) signs.push(at);
  }
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.message?.includes(`"${name}"`)) {
    const at = toMs(progressing.lastUpdateTime) ?? toMs(progressing.lastTransitionTime);
    if (at !== undefined && at >= since) signs.push(at);
  }
  return signs.length > 0 ? Math.min(...signs) : since;
}

function ofDeployment(event: KEvent, deployment: Workload): boolean {
  const object = event.involvedObject;
  if (!object) return false;
  if (object.uid && deployment.metadata.uid) return object.uid === deployment.metadata.uid;
  return object.name === deployment.metadata.name && object.namespace === deployment.metadata.namespace;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Since when a Deployment has run its current template, restarts aside: when it moved to the first
 * ReplicaSet of the run of restarts that ends at the current one. Undefined without a ReplicaSet.
 */
export function templateSinceMs(snapshot: Snapshot, deployment: Workload): number | undefined {
  const owned = ownedReplicaSets(snapshot, deployment).sort((a, b) => revisionOf(b) - revisionOf(a));
  let first = 0;
  while (owned[first + 1] && isRestart(owned[first + 1] as Workload, owned[first] as Workload)) first += 1;
  const replicaSet = owned[first];
  if (!replicaSet) return undefined;
  const scaling = snapshot.events.filter((event) => event.reason === 'ScalingReplicaSet');
  return movedToRevisionAt(deployment, replicaSet, owned, scaling);
}
