/**
 * The deployment controller, after kube's: one ReplicaSet per distinct pod template
 * (`pod-template-hash`), `deployment.kubernetes.io/revision` as max+1 (an old template that comes
 * back re-adopts its ReplicaSet and moves it to the new revision, which is how `rollout undo`
 * renumbers), RollingUpdate with maxSurge/maxUnavailable (old pods only go once new ones are
 * available, so a crash-looping version never finishes and the old pods keep serving), Recreate,
 * revisionHistoryLimit, and status and conditions as `kubectl rollout status` reads them.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import {
  DESIRED_REPLICAS,
  isScalingEvent,
  MAX_REPLICAS,
  type Rollout,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  recreate,
  replicasOf,
  scaleProportionally,
  statusCount,
} from './deployment-scaling.js';
import {
  computeStatus,
  condition,
  isComplete,
  orderConditions,
  setDeploymentCondition,
  syncProgress,
} from './deployment-status.js';
import {
  clone,
  computeTemplateHash,
  controllerOf,
  type Dict,
  deepEqual,
  equalIgnoreHash,
  isDeleting,
  iso,
  ownerReference,
  SnapshotMemo,
} from './util.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export function revisionOf(object: SimObject): number {
  const value = Number.parseInt(object.metadata.annotations?.[REVISION] ?? '0', 10);
  return Number.isNaN(value) ? 0 : value;
}

/** An int-or-percent against the replica count: surge rounds up, unavailable rounds down (kube's rules). */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean, fallback: string): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const text = String(raw);
  if (!text.endsWith('%')) return Number.parseInt(text, 10) || 0;
  const exact = (Number.parseInt(text, 10) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const deploymentController: Controller = {
  name: 'deployment',
  reconcile(state) {
    const byOwner = new Map<string, SimObject[]>();
    for (const rs of state.list('ReplicaSet')) {
      const owner = controllerOf(rs);
      if (owner?.kind !== 'Deployment') continue;
      byOwner.set(owner.uid, [...(byOwner.get(owner.uid) ?? []), rs]);
    }
    for (const deployment of state.list('Deployment')) {
      if (isDeleting(deployment)) continue;
      const uid = deployment.metadata.uid ?? deployment.metadata.name;
      const owned = byOwner.get(uid) ?? [];
      const refs = [deployment, ...owned];
      if (memo.unchanged(state, uid, refs) && !waitsOnClock(deployment)) continue;
      syncDeployment(state, deployment, owned);
      memo.remember(state, uid, refs);
    }
  },
};

const memo = new SnapshotMemo();

/** A rollout in progress must be re-checked as time passes (its progress deadline). */
function waitsOnClock(deployment: SimObject): boolean {
  if (((deployment.spec ?? {}) as Dict).paused === true) return false;
  const conditions = (((deployment.status ?? {}) as Dict).conditions as Dict[] | undefined) ?? [];
  const reason = conditions.find((c) => c.type === 'Progressing')?.reason;
  return reason !== 'NewReplicaSetAvailable' && reason !== 'ProgressDeadlineExceeded';
}

/** The rollout's bounds from the Deployment's strategy, resolved against its replicas as kube does. */
function rolloutOf(state: ClusterState, deployment: SimObject): Rollout & { rolling: boolean } {
  const spec = (deployment.spec ?? {}) as Dict;
  const desired = (spec.replicas as number | undefined) ?? 1;
  const strategy = (spec.strategy ?? {}) as { type?: string; rollingUpdate?: Dict };
  const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
  let maxSurge = rolling ? resolveIntOrPercent(strategy.rollingUpdate?.maxSurge, desired, true, '25%') : 0;
  let maxUnavailable = rolling ? resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable, desired, false, '25%') : 0;
  if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (desired === 0) maxUnavailable = 0;
  maxSurge = Math.max(0, maxSurge);
  return { state, deployment, desired, maxSurge, maxUnavailable, now: iso(state.now()), rolling };
}

function syncDeployment(state: ClusterState, deployment: SimObject, owned: SimObject[]): void {
  const spec = (deployment.spec ?? {}) as Dict;
  const rollout = rolloutOf(state, deployment);
  const { rolling } = rollout;

  const sorted = [...owned].sort(
    (a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  const template = spec.template;
  let newRS = sorted.find((rs) => equalIgnoreHash((rs.spec as Dict | undefined)?.template, template));
  let oldRSs = sorted.filter((rs) => rs !== newRS);
  const conditions = [...((((deployment.status ?? {}) as Dict).conditions as Dict[] | undefined) ?? [])];
  const progressing = () => conditions.find((c) => c.type === 'Progressing');

  if (spec.paused === true) {
    if (progressing()?.reason !== 'DeploymentPaused') {
      setDeploymentCondition(
        conditions,
        condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', rollout.now),
      );
    }
    // Paused: no new ReplicaSet until resumed, and the status says so (kube's sync(): the counts are
    // recomputed, so a template change leaves updatedReplicas short and `rollout status` waiting).
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    writeDeployment(rollout, newRS, all, conditions, computeStatus(rollout, newRS, all, conditions));
    return;
  }
  if (progressing()?.reason === 'DeploymentPaused') {
    setDeploymentCondition(
      conditions,
      condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', rollout.now),
    );
  }

  newRS = ensureNewReplicaSet(rollout, newRS, oldRSs, sorted, conditions);

  if (rolling && isScalingEvent(rollout, [...oldRSs, newRS])) {
    ({ newRS, oldRSs } = scaleProportionally(rollout, newRS, oldRSs));
  } else if (rolling) {
    newRS = reconcileNewReplicaSet(rollout, newRS, [...oldRSs, newRS]);
    oldRSs = reconcileOldReplicaSets(rollout, oldRSs, newRS);
  } else {
    ({ newRS, oldRSs } = recreate(rollout, newRS, oldRSs));
  }
  const all = [...oldRSs, newRS];
  const status = computeStatus(rollout, newRS, all, conditions);
  syncProgress(rollout, newRS, status, conditions);
  if (isComplete(rollout, status)) oldRSs = cleanupHistory(rollout, oldRSs);
  writeDeployment(rollout, newRS, [...oldRSs, newRS], conditions, status);
}

/** The ReplicaSet of the current template: created (next revision) or adopted, with its Progressing condition. */
function ensureNewReplicaSet(
  rollout: Rollout,
  found: SimObject | undefined,
  oldRSs: SimObject[],
  sorted: SimObject[],
  conditions: Dict[],
): SimObject {
  const maxOld = Math.max(0, ...oldRSs.map(revisionOf));
  if (!found) {
    const created = createReplicaSet(rollout, maxOld + 1, sorted);
    const message = `Created new replica set "${created.metadata.name}"`;
    setDeploymentCondition(conditions, condition('Progressing', 'True', 'NewReplicaSetCreated', message, rollout.now));
    return created;
  }
  const adopted = adoptReplicaSet(rollout, found, maxOld + 1);
  if (!conditions.some((c) => c.type === 'Progressing')) {
    const message = `Found new replica set "${adopted.metadata.name}"`;
    setDeploymentCondition(conditions, condition('Progressing', 'True', 'FoundNewReplicaSet', message, rollout.now));
  }
  return adopted;
}

function rsAnnotations(rollout: Rollout, base: Record<string, string>, revision: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(base))
    if (SKIPPED_ANNOTATIONS.has(key) || key === REVISION) out[key] = value;
  for (const [key, value] of Object.entries(rollout.deployment.metadata.annotations ?? {})) {
    if (!SKIPPED_ANNOTATIONS.has(key)) out[key] = value;
  }
  const previous = Number.parseInt(base[REVISION] ?? '0', 10) || 0;
  if (previous < revision) {
    out[REVISION] = String(revision);
    if (previous > 0)
      out[REVISION_HISTORY] = base[REVISION_HISTORY] ? `${base[REVISION_HISTORY]},${previous}` : String(previous);
  }
  // Replica annotations are written when a ReplicaSet is created or scaled, never on adoption:
  // a stale desired-replicas is how a scaling event is recognised.
  out[DESIRED_REPLICAS] = base[DESIRED_REPLICAS] ?? String(rollout.desired);
  out[MAX_REPLICAS] = base[MAX_REPLICAS] ?? String(rollout.desired + rollout.maxSurge);
  return out;
}

function createReplicaSet(rollout: Rollout, revision: number, existing: SimObject[]): SimObject {
  const { deployment, state } = rollout;
  const spec = (deployment.spec ?? {}) as Dict;
  const template = clone((spec.template ?? {}) as Dict);
  let collisionCount = (((deployment.status ?? {}) as Dict).collisionCount as number | undefined) ?? 0;
  let hash = computeTemplateHash(template, collisionCount);
  while (state.get('ReplicaSet', deployment.metadata.namespace, `${deployment.metadata.name}-${hash}`)) {
    collisionCount += 1;
    hash = computeTemplateHash(template, collisionCount);
  }
  void existing;
  const metadata = (template.metadata ?? {}) as Dict;
  const labels = { ...((metadata.labels ?? {}) as Record<string, string>), 'pod-template-hash': hash };
  template.metadata = { ...metadata, labels };
  const selector = clone((spec.selector ?? {}) as Dict);
  selector.matchLabels = { ...((selector.matchLabels ?? {}) as Record<string, string>), 'pod-template-hash': hash };
  const rs: SimObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels,
      annotations: rsAnnotations(rollout, {}, revision),
      ownerReferences: [ownerReference(deployment)],
    },
    spec: { replicas: 0, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
    status: { replicas: 0 },
  };
  if (!rs.spec || !(spec.minReadySeconds as number)) delete (rs.spec as Dict).minReadySeconds;
  return state.create(rs);
}

function adoptReplicaSet(rollout: Rollout, rs: SimObject, revision: number): SimObject {
  const annotations = rsAnnotations(rollout, rs.metadata.annotations ?? {}, revision);
  const minReady = (rollout.deployment.spec as Dict).minReadySeconds;
  const sameMinReady = ((rs.spec as Dict).minReadySeconds ?? 0) === (minReady ?? 0);
  if (sameMinReady && deepEqual(annotations, rs.metadata.annotations ?? {})) return rs;
  const spec = { ...(rs.spec as Dict) };
  if (minReady === undefined) delete spec.minReadySeconds;
  else spec.minReadySeconds = minReady;
  return rollout.state.update({ ...rs, metadata: { ...rs.metadata, annotations }, spec });
}

function cleanupHistory(rollout: Rollout, oldRSs: SimObject[]): SimObject[] {
  const limit = (((rollout.deployment.spec ?? {}) as Dict).revisionHistoryLimit as number | undefined) ?? 10;
  const cleanable = oldRSs.filter((rs) => !isDeleting(rs));
  const excess = cleanable.length - limit;
  if (excess <= 0) return oldRSs;
  const doomed = cleanable
    .filter((rs) => replicasOf(rs) === 0 && statusCount(rs, 'replicas') === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b))
    .slice(0, excess);
  for (const rs of doomed) rollout.state.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
  return oldRSs.filter((rs) => !doomed.includes(rs));
}

function writeDeployment(
  rollout: Rollout,
  newRS: SimObject | undefined,
  all: SimObject[],
  conditions: Dict[],
  status: Dict | undefined,
) {
  const { deployment, state } = rollout;
  const annotations = { ...(deployment.metadata.annotations ?? {}) };
  if (newRS) annotations[REVISION] = String(revisionOf(newRS));
  const out: Dict = { ...(status ?? {}) };
  if (!newRS) out.observedGeneration = deployment.metadata.generation ?? 1;
  void all;
  out.conditions = orderConditions(conditions);
  for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
    if (out[key] === 0) delete out[key];
  }
  if (deepEqual(out, deployment.status) && deepEqual(annotations, deployment.metadata.annotations ?? {})) return;
  state.update({ ...deployment, metadata: { ...deployment.metadata, annotations }, status: out });
}
