/**
 * The deployment controller, after kube's: one ReplicaSet per distinct pod template
 * (`pod-template-hash`), `deployment.kubernetes.io/revision` as max+1 (an old template that comes
 * back re-adopts its ReplicaSet and moves it to the new revision, which is how `rollout undo`
 * renumbers), RollingUpdate with maxSurge/maxUnavailable (old pods only go once new ones are
 * available, so a crash-looping version never finishes and the old pods keep serving), Recreate,
 * revisionHistoryLimit, and status and conditions as `kubectl rollout status` reads them.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import {
  clone,
  computeTemplateHash,
  controllerOf,
  type Dict,
  deepEqual,
  equalIgnoreHash,
  isDeleting,
  iso,
  ms,
  ownerReference,
  SnapshotMemo,
} from './util.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);
const SOURCE = { component: 'deployment-controller' };

interface Rollout {
  state: ClusterState;
  deployment: SimObject;
  desired: number;
  maxSurge: number;
  maxUnavailable: number;
  now: string;
}

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

function replicasOf(rs: SimObject): number {
  return ((rs.spec as Dict | undefined)?.replicas as number | undefined) ?? 0;
}

function statusCount(rs: SimObject, field: string): number {
  return ((rs.status as Dict | undefined)?.[field] as number | undefined) ?? 0;
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

function syncDeployment(state: ClusterState, deployment: SimObject, owned: SimObject[]): void {
  const spec = (deployment.spec ?? {}) as Dict;
  const desired = (spec.replicas as number | undefined) ?? 1;
  const strategy = (spec.strategy ?? {}) as { type?: string; rollingUpdate?: Dict };
  const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
  let maxSurge = rolling ? resolveIntOrPercent(strategy.rollingUpdate?.maxSurge, desired, true, '25%') : 0;
  let maxUnavailable = rolling ? resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable, desired, false, '25%') : 0;
  if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (desired === 0) maxUnavailable = 0;
  maxSurge = Math.max(0, maxSurge);
  const rollout: Rollout = { state, deployment, desired, maxSurge, maxUnavailable, now: iso(state.now()) };

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
    writeDeployment(rollout, newRS, [...oldRSs, ...(newRS ? [newRS] : [])], conditions, deployment.status as Dict);
    return;
  }
  if (progressing()?.reason === 'DeploymentPaused') {
    setDeploymentCondition(
      conditions,
      condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', rollout.now),
    );
  }

  const maxOld = Math.max(0, ...oldRSs.map(revisionOf));
  if (!newRS) {
    newRS = createReplicaSet(rollout, maxOld + 1, sorted);
    setDeploymentCondition(
      conditions,
      condition(
        'Progressing',
        'True',
        'NewReplicaSetCreated',
        `Created new replica set "${newRS.metadata.name}"`,
        rollout.now,
      ),
    );
  } else {
    newRS = adoptReplicaSet(rollout, newRS, maxOld + 1);
    if (!progressing()) {
      setDeploymentCondition(
        conditions,
        condition(
          'Progressing',
          'True',
          'FoundNewReplicaSet',
          `Found new replica set "${newRS.metadata.name}"`,
          rollout.now,
        ),
      );
    }
  }

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

function condition(type: string, status: string, reason: string, message: string, now: string): Dict {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** kube's SetDeploymentCondition: unchanged status+reason keeps the old one; same status keeps its transition time. */
export function setDeploymentCondition(conditions: Dict[], next: Dict): void {
  const index = conditions.findIndex((c) => c.type === next.type);
  const current = index >= 0 ? conditions[index] : undefined;
  if (current && current.status === next.status && current.reason === next.reason) return;
  const merged = { ...next };
  if (current && current.status === next.status) merged.lastTransitionTime = current.lastTransitionTime;
  if (index >= 0) conditions.splice(index, 1);
  conditions.push(merged);
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

/** A replica count change (not a template change): some active ReplicaSet was sized for another count. */
function isScalingEvent(rollout: Rollout, all: SimObject[]): boolean {
  return all.some(
    (rs) => replicasOf(rs) > 0 && rs.metadata.annotations?.[DESIRED_REPLICAS] !== String(rollout.desired),
  );
}

/**
 * kube's scale(): one active ReplicaSet takes the new count; during a rollout the change is spread
 * over the active ReplicaSets in proportion to their size (leftovers to the largest), so scaling a
 * half-rolled-out deployment keeps the old and new versions in the same ratio.
 */
function scaleProportionally(rollout: Rollout, newRS: SimObject, oldRSs: SimObject[]) {
  const all = [...oldRSs, newRS];
  const active = all.filter((rs) => replicasOf(rs) > 0);
  const replace = (rs: SimObject, scaled: SimObject) => {
    if (rs === newRS) newRS = scaled;
    else oldRSs = oldRSs.map((old) => (old === rs ? scaled : old));
  };
  if (active.length <= 1) {
    const target = active[0] ?? newRS;
    replace(target, scaleReplicaSet(rollout, target, rollout.desired));
    return { newRS, oldRSs };
  }
  const allowed = rollout.desired > 0 ? rollout.desired + rollout.maxSurge : 0;
  const toAdd = allowed - active.reduce((sum, rs) => sum + replicasOf(rs), 0);
  const created = (rs: SimObject) => String(rs.metadata.creationTimestamp);
  active.sort((a, b) =>
    replicasOf(a) !== replicasOf(b)
      ? replicasOf(b) - replicasOf(a)
      : toAdd > 0
        ? created(b).localeCompare(created(a))
        : created(a).localeCompare(created(b)),
  );
  const sizes = new Map<SimObject, number>();
  let added = 0;
  for (const rs of active) {
    const proportion = toAdd === 0 ? 0 : proportionOf(rollout, rs, toAdd, added);
    sizes.set(rs, replicasOf(rs) + proportion);
    added += proportion;
  }
  active.forEach((rs, index) => {
    let size = sizes.get(rs) ?? replicasOf(rs);
    if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    replace(rs, scaleReplicaSet(rollout, rs, size));
  });
  return { newRS, oldRSs };
}

/** kube's GetProportion: this ReplicaSet's share of the change, bounded by what is left to add. */
function proportionOf(rollout: Rollout, rs: SimObject, toAdd: number, added: number): number {
  const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
  const total = rollout.desired + rollout.maxSurge;
  const fraction =
    rollout.desired === 0 || !annotated
      ? -replicasOf(rs)
      : Math.round((replicasOf(rs) * total) / annotated) - replicasOf(rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function scaleReplicaSet(rollout: Rollout, rs: SimObject, replicas: number): SimObject {
  const from = replicasOf(rs);
  if (from === replicas) return rs;
  const next = clone(rs);
  (next.spec as Dict).replicas = replicas;
  const annotations = { ...(next.metadata.annotations ?? {}) };
  annotations[DESIRED_REPLICAS] = String(rollout.desired);
  annotations[MAX_REPLICAS] = String(rollout.desired + rollout.maxSurge);
  next.metadata.annotations = annotations;
  const written = rollout.state.update(next);
  const direction = replicas > from ? 'up' : 'down';
  recordEvent(
    rollout.state,
    rollout.deployment,
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${direction} replica set ${rs.metadata.name} to ${replicas} from ${from}`,
    SOURCE,
  );
  return written;
}

function reconcileNewReplicaSet(rollout: Rollout, newRS: SimObject, all: SimObject[]): SimObject {
  const current = replicasOf(newRS);
  if (current === rollout.desired) return newRS;
  if (current > rollout.desired) return scaleReplicaSet(rollout, newRS, rollout.desired);
  const total = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
  const maxTotal = rollout.desired + rollout.maxSurge;
  if (total >= maxTotal) return newRS;
  const scaleUp = Math.min(maxTotal - total, rollout.desired - current);
  return scaleReplicaSet(rollout, newRS, current + scaleUp);
}

function reconcileOldReplicaSets(rollout: Rollout, oldRSs: SimObject[], newRS: SimObject): SimObject[] {
  const oldCount = oldRSs.reduce((sum, rs) => sum + replicasOf(rs), 0);
  if (oldCount === 0) return oldRSs;
  const all = [...oldRSs, newRS];
  const allCount = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
  const minAvailable = rollout.desired - rollout.maxUnavailable;
  const newUnavailable = replicasOf(newRS) - statusCount(newRS, 'availableReplicas');
  let cleanup = allCount - minAvailable - newUnavailable;
  if (cleanup <= 0) return oldRSs;
  const out = [...oldRSs];
  // First remove old pods that are not available anyway: they serve nothing.
  for (let i = 0; i < out.length && cleanup > 0; i++) {
    const rs = out[i]!;
    const unhealthy = replicasOf(rs) - statusCount(rs, 'availableReplicas');
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(cleanup, unhealthy);
    out[i] = scaleReplicaSet(rollout, rs, replicasOf(rs) - down);
    cleanup -= down;
  }
  const available = [...out, newRS].reduce((sum, rs) => sum + statusCount(rs, 'availableReplicas'), 0);
  let scaleDown = available - minAvailable;
  for (let i = 0; i < out.length && scaleDown > 0; i++) {
    const rs = out[i]!;
    const down = Math.min(replicasOf(rs), scaleDown);
    if (down === 0) continue;
    out[i] = scaleReplicaSet(rollout, rs, replicasOf(rs) - down);
    scaleDown -= down;
  }
  return out;
}

function recreate(rollout: Rollout, newRS: SimObject, oldRSs: SimObject[]) {
  const old = oldRSs.map((rs) => scaleReplicaSet(rollout, rs, 0));
  const oldPods = old.reduce((sum, rs) => sum + statusCount(rs, 'replicas'), 0);
  const next = oldPods > 0 ? newRS : scaleReplicaSet(rollout, newRS, rollout.desired);
  return { newRS: next, oldRSs: old };
}

function computeStatus(rollout: Rollout, newRS: SimObject, all: SimObject[], conditions: Dict[]): Dict {
  const sum = (field: string) => all.reduce((total, rs) => total + statusCount(rs, field), 0);
  const available = sum('availableReplicas');
  const specTotal = all.reduce((total, rs) => total + replicasOf(rs), 0);
  const status: Dict = {
    observedGeneration: rollout.deployment.metadata.generation ?? 1,
    replicas: sum('replicas'),
    updatedReplicas: statusCount(newRS, 'replicas'),
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
  };
  const minAvailable = rollout.desired - rollout.maxUnavailable;
  setDeploymentCondition(
    conditions,
    available >= minAvailable
      ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', rollout.now)
      : condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          rollout.now,
        ),
  );
  const collisionCount = ((rollout.deployment.status ?? {}) as Dict).collisionCount;
  if (collisionCount !== undefined) status.collisionCount = collisionCount;
  return status;
}

function isComplete(rollout: Rollout, status: Dict): boolean {
  return (
    status.updatedReplicas === rollout.desired &&
    status.replicas === rollout.desired &&
    status.availableReplicas === rollout.desired &&
    (status.observedGeneration as number) >= (rollout.deployment.metadata.generation ?? 1)
  );
}

/** kube's syncRolloutStatus: complete, progressing (moves lastUpdateTime), or timed out. */
function syncProgress(rollout: Rollout, newRS: SimObject, status: Dict, conditions: Dict[]): void {
  const old = (rollout.deployment.status ?? {}) as Dict;
  const current = conditions.find((c) => c.type === 'Progressing');
  const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (alreadyComplete) return;
  const name = newRS.metadata.name;
  const count = (record: Dict, field: string) => (record[field] as number | undefined) ?? 0;
  if (isComplete(rollout, status)) {
    setDeploymentCondition(
      conditions,
      condition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${name}" has successfully progressed.`,
        rollout.now,
      ),
    );
    return;
  }
  const progressed =
    count(status, 'updatedReplicas') > count(old, 'updatedReplicas') ||
    count(status, 'replicas') - count(status, 'updatedReplicas') <
      count(old, 'replicas') - count(old, 'updatedReplicas') ||
    count(status, 'readyReplicas') > count(old, 'readyReplicas') ||
    count(status, 'availableReplicas') > count(old, 'availableReplicas');
  if (progressed) {
    const next = condition(
      'Progressing',
      'True',
      'ReplicaSetUpdated',
      `ReplicaSet "${name}" is progressing.`,
      rollout.now,
    );
    if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
    const index = conditions.findIndex((c) => c.type === 'Progressing');
    if (index >= 0) conditions.splice(index, 1);
    conditions.push(next);
    return;
  }
  if (!current || current.reason === 'NewReplicaSetAvailable') return;
  if (current.reason === 'ProgressDeadlineExceeded') return;
  const deadline = (((rollout.deployment.spec ?? {}) as Dict).progressDeadlineSeconds as number | undefined) ?? 600;
  if (ms(current.lastUpdateTime) + deadline * 1000 < Date.parse(rollout.now)) {
    setDeploymentCondition(
      conditions,
      condition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${name}" has timed out progressing.`,
        rollout.now,
      ),
    );
  }
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

function orderConditions(conditions: Dict[]): Dict[] {
  const order = ['Available', 'Progressing', 'ReplicaFailure'];
  return [...conditions].sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)));
}
