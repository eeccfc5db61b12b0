import type { KEvent, Workload } from './k8s.js';
import { ownedReplicaSets, revisionOf } from './revision.js';
import type { Snapshot } from './snapshot.js';
import { isRestart } from './template-changes.js';
import { eventFirstSeen, eventLastSeen, toMs } from './time.js';

/** The revisions a re-adopted ReplicaSet held before its current one: "1,3". */
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

/**
 * When a Deployment moved to a ReplicaSet's revision. A new ReplicaSet is created for the move;
 * a rollback re-adopts an old one, whose creation is long past: then the move is the first sign of
 * it after the Deployment last ran another ReplicaSet — that ReplicaSet scaled up, a newer one
 * scaled down, or the Progressing condition naming it. `before`: when the Deployment moved on from
 * it (to the revision inc rolled back to), for a revision that is no longer the current one.
 */
export function movedToRevisionAt(
  deployment: Workload,
  replicaSet: Workload,
  owned: readonly Workload[],
  scalingEvents: readonly KEvent[],
  before = Number.POSITIVE_INFINITY,
): number {
  const created = toMs(replicaSet.metadata.creationTimestamp) ?? 0;
  const revision = revisionOf(replicaSet);
  // Re-adopted: it held other revisions before (the controller lists them), or a ReplicaSet made
  // after this one holds an older revision.
  const history = replicaSet.metadata.annotations?.[REVISION_HISTORY];
  const newer = owned
    .filter((rs) => rs !== replicaSet && revisionOf(rs) < revision)
    .map((rs) => toMs(rs.metadata.creationTimestamp) ?? 0)
    .filter((ms) => ms > created);
  if (newer.length === 0 && !history) return created;
  const name = replicaSet.metadata.name;
  const others = new Set(owned.filter((rs) => rs !== replicaSet).map((rs) => rs.metadata.name));
  const own = scalingEvents.filter((event) => ofDeployment(event, deployment));
  const since = ranOtherUntil(own, name, others, Math.max(created, ...newer), before);
  const signs: number[] = [];
  for (const event of own) {
    const message = event.message ?? '';
    const up = new RegExp(`^Scaled up replica set ${escapeRegExp(name)}\\b`).test(message);
    const downOther = /^Scaled down replica set (\S+)/.exec(message);
    if (!up && !(downOther && others.has(downOther[1] ?? ''))) continue;
    // An aggregated event keeps its first time from an earlier move: its last time is when it happened again.
    const first = eventFirstSeen(event) ?? 0;
    const at = first >= since ? first : (seenBefore(event, before) ?? 0);
    if (at >= since && at < before) signs.push(at);
  }
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.message?.includes(`"${name}"`)) {
    const at = toMs(progressing.lastUpdateTime) ?? toMs(progressing.lastTransitionTime);
    if (at !== undefined && at >= since && at < before) signs.push(at);
  }
  return signs.length > 0 ? Math.min(...signs) : since;
}

/**
 * Until when the Deployment ran another of its ReplicaSets: the last time one of them scaled up
 * (only the ReplicaSet a Deployment moves to scales up), or this one scaled down to zero. After an
 * undo of an undo, the same ReplicaSet is re-adopted again, and the first time it was is long past.
 */
function ranOtherUntil(
  events: readonly KEvent[],
  name: string,
  others: ReadonlySet<string>,
  since: number,
  before: number,
): number {
  let until = since;
  for (const event of events) {
    const message = event.message ?? '';
    const up = /^Scaled up replica set (\S+)/.exec(message);
    const downToZero = /^Scaled down replica set (\S+) (?:from \d+ )?to 0\b/.exec(message);
    if ((up && others.has(up[1] ?? '')) || downToZero?.[1] === name)
      until = Math.max(until, seenBefore(event, before) ?? 0);
  }
  return until;
}

/** The last time an event happened before `before`: its last time, else its first (an aggregated one). */
function seenBefore(event: KEvent, before: number): number | undefined {
  const last = eventLastSeen(event);
  if (last !== undefined && last < before) return last;
  const first = eventFirstSeen(event);
  return first !== undefined && first < before ? first : undefined;
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
