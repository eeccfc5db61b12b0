import type { KEvent, Workload } from './k8s.js';
import type { Snapshot } from './snapshot.js';
import { argoApplicationOf, helmReleaseOf } from './suggest.js';
import { eventFirstSeen, toMs } from './time.js';
import type { ObjectRef } from './types.js';

/** Something that changed in the cluster: what suspects are made of. */
export interface Change {
  workload: ObjectRef;
  kind: 'rollout' | 'scale' | 'network-policy' | 'node' | 'sync';
  /** "rollout to revision 4 (image api:2.3.1)". */
  description: string;
  atMs: number;
  /** Extra facts for the suspect's why (images, change-cause). */
  detail?: string;
  /** For scale-ups: the replica count before. */
  previousReplicas?: number;
}

export interface Rollout {
  deployment: Workload;
  revision: number;
  previousRevision?: number;
  atMs: number;
  imageFrom?: string;
  imageTo?: string;
  changeCause?: string;
  newReplicaSet: Workload;
}

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

/** The latest rollout of every deployment that has a previous revision, dated by its new ReplicaSet. */
export function listRollouts(snapshot: Snapshot): Rollout[] {
  const rollouts: Rollout[] = [];
  const scaleEvents = snapshot.events.filter((event) => event.reason === 'ScalingReplicaSet');
  for (const deployment of snapshot.deployments) {
    const owned = ownedReplicaSets(snapshot, deployment).sort((a, b) => revisionOf(b) - revisionOf(a));
    const [current, previous] = owned;
    if (!current || revisionOf(current) <= 1 || !previous) continue;
    const created = toMs(current.metadata.creationTimestamp) ?? 0;
    // A rollback re-adopts an old ReplicaSet: its creation is old, the scale-up event dates the change.
    const scaledUp = scaleEvents
      .filter(
        (event) =>
          event.involvedObject?.uid === deployment.metadata.uid ||
          event.involvedObject?.name === deployment.metadata.name,
      )
      .filter(
        (event) =>
          (event.message ?? '').includes(`replica set ${current.metadata.name}`) &&
          /Scaled up/.test(event.message ?? ''),
      )
      .map((event) => eventFirstSeen(event) ?? 0);
    const atMs = Math.max(created, ...scaledUp.filter((ms) => ms > created));
    const [imageFrom, imageTo] = imageChange(previous, current);
    rollouts.push({
      deployment,
      revision: revisionOf(current),
      previousRevision: revisionOf(previous),
      atMs,
      imageFrom,
      imageTo,
      changeCause: current.metadata.annotations?.['kubernetes.io/change-cause'],
      newReplicaSet: current,
    });
  }
  return rollouts;
}

function imageChange(previous: Workload, current: Workload): [string | undefined, string | undefined] {
  const before = previous.spec?.template?.spec?.containers ?? [];
  const after = current.spec?.template?.spec?.containers ?? [];
  for (const container of after) {
    const old = before.find((c) => c.name === container.name);
    if (old && old.image !== container.image) return [old.image, container.image];
  }
  return [undefined, undefined];
}

export function describeRollout(rollout: Rollout): string {
  const image = rollout.imageTo
    ? ` (image ${rollout.imageTo}${rollout.imageFrom ? `, was ${rollout.imageFrom}` : ''})`
    : ' (pod template changed, same images)';
  return `rollout to revision ${rollout.revision}${image}`;
}

/** Every change in the window: rollouts, scale-ups, NetworkPolicy edits, nodes going bad, Argo CD syncs. */
export function listChanges(snapshot: Snapshot, now: number, sinceMs: number): Change[] {
  const from = now - sinceMs;
  const changes: Change[] = [];
  const rollouts = listRollouts(snapshot);
  for (const rollout of rollouts) {
    if (rollout.atMs < from) continue;
    const meta = rollout.deployment.metadata;
    changes.push({
      workload: { kind: 'Deployment', namespace: meta.namespace, name: meta.name },
      kind: 'rollout',
      description: describeRollout(rollout),
      atMs: rollout.atMs,
      detail:
        [rollout.changeCause ? `change-cause: ${rollout.changeCause}` : '', managedBy(snapshot, rollout.deployment)]
          .filter(Boolean)
          .join('; ') || undefined,
    });
  }
  changes.push(...scaleUps(snapshot, from, rollouts));
  for (const policy of snapshot.networkPolicies) {
    const created = toMs(policy.metadata.creationTimestamp) ?? 0;
    const changed = Math.max(created, ...(policy.metadata.managedFields ?? []).map((entry) => toMs(entry.time) ?? 0));
    if (changed < from) continue;
    changes.push({
      workload: { kind: 'NetworkPolicy', namespace: policy.metadata.namespace, name: policy.metadata.name },
      kind: 'network-policy',
      description: changed - created < 1000 ? 'NetworkPolicy created' : 'NetworkPolicy changed',
      atMs: changed,
    });
  }
  for (const node of snapshot.nodes) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const at = toMs(ready?.lastTransitionTime);
    if (!ready || ready.status === 'True' || at === undefined || at < from) continue;
    changes.push({
      workload: { kind: 'Node', name: node.metadata.name },
      kind: 'node',
      description: `node became ${ready.status === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'NotReady'}`,
      atMs: at,
    });
  }
  return changes;
}

/** Who applies a deployment's changes: an Argo CD application or a Helm release, when either does. */
function managedBy(snapshot: Snapshot, deployment: Workload): string {
  const app = argoApplicationOf(deployment, snapshot.applications);
  if (app) {
    const revision = app.status?.sync?.revision ?? app.status?.operationState?.syncResult?.revision;
    return `synced by Argo CD application ${app.metadata.namespace}/${app.metadata.name}${revision ? ` at revision ${revision.slice(0, 7)}` : ''}`;
  }
  const release = helmReleaseOf(deployment);
  if (release) {
    const chart = deployment.metadata.labels?.['helm.sh/chart'];
    return `applied by Helm release ${release.namespace}/${release.name}${chart ? ` (chart ${chart})` : ''}`;
  }
  return '';
}

const SCALED = /Scaled up replica set (\S+)(?: from (\d+))? to (\d+)/;

/** Scale-ups that were not part of a rollout: the ReplicaSet already existed before the event. */
function scaleUps(snapshot: Snapshot, from: number, rollouts: Rollout[]): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  const sorted = [...snapshot.events]
    .filter((e) => e.reason === 'ScalingReplicaSet')
    .sort((a, b) => (eventFirstSeen(b) ?? 0) - (eventFirstSeen(a) ?? 0));
  for (const event of sorted) {
    const match = SCALED.exec(event.message ?? '');
    const at = eventFirstSeen(event);
    if (!match || at === undefined || at < from) continue;
    const rs = snapshot.replicasets.find(
      (r) => r.metadata.name === match[1] && r.metadata.namespace === event.involvedObject?.namespace,
    );
    const rsCreated = toMs(rs?.metadata.creationTimestamp);
    if (rsCreated === undefined || at - rsCreated < 60_000) continue;
    const deploymentName = event.involvedObject?.name ?? '';
    const rollout = rollouts.find(
      (r) => r.deployment.metadata.name === deploymentName && Math.abs(r.atMs - at) < 60_000,
    );
    if (rollout || seen.has(deploymentName)) continue;
    seen.add(deploymentName);
    changes.push(
      scaleChange(event, deploymentName, match[2] ?? previousScale(sorted, match[1] ?? '', at), match[3] ?? '?', at),
    );
  }
  return changes;
}

/** The replica count a ReplicaSet was scaled to before `at`, from the previous scaling event. */
function previousScale(events: readonly KEvent[], replicaSet: string, at: number): string | undefined {
  for (const event of events) {
    const match =
      SCALED.exec(event.message ?? '') ??
      /Scaled down replica set (\S+)(?: from \d+)? to (\d+)/.exec(event.message ?? '');
    const when = eventFirstSeen(event) ?? 0;
    if (match && match[1] === replicaSet && when < at) return match[match.length - 1];
  }
  return undefined;
}

function scaleChange(event: KEvent, name: string, fromReplicas: string | undefined, to: string, at: number): Change {
  return {
    workload: { kind: 'Deployment', namespace: event.involvedObject?.namespace, name },
    kind: 'scale',
    description: `scaled up${fromReplicas ? ` from ${fromReplicas}` : ''} to ${to} replicas`,
    atMs: at,
    previousReplicas: fromReplicas === undefined ? undefined : Number(fromReplicas),
  };
}
