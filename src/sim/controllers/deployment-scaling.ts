/**
 * How the deployment controller sizes its ReplicaSets: RollingUpdate (new pods up to maxSurge,
 * old ones down only while maxUnavailable allows, unavailable old pods first), Recreate, and the
 * proportional scaling of a rollout in progress; each change is a ScalingReplicaSet event.
 */
import type { ClusterState, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { clone, type Dict } from './util.js';

export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SOURCE = { component: 'deployment-controller' };

export interface Rollout {
  state: ClusterState;
  deployment: SimObject;
  desired: number;
  maxSurge: number;
  maxUnavailable: number;
  now: string;
}

export function replicasOf(rs: SimObject): number {
  return ((rs.spec as Dict | undefined)?.replicas as number | undefined) ?? 0;
}

export function statusCount(rs: SimObject, field: string): number {
  return ((rs.status as Dict | undefined)?.[field] as number | undefined) ?? 0;
}

/** A replica count change (not a template change): some active ReplicaSet was sized for another count. */
export function isScalingEvent(rollout: Rollout, all: SimObject[]): boolean {
  return all.some(
    (rs) => replicasOf(rs) > 0 && rs.metadata.annotations?.[DESIRED_REPLICAS] !== String(rollout.desired),
  );
}

/**
 * kube's scale(): one active ReplicaSet takes the new count; during a rollout the change is spread
 * over the active ReplicaSets in proportion to their size (leftovers to the largest), so scaling a
 * half-rolled-out deployment keeps the old and new versions in the same ratio.
 */
export function scaleProportionally(rollout: Rollout, newRS: SimObject, oldRSs: SimObject[]) {
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
export function proportionOf(rollout: Rollout, rs: SimObject, toAdd: number, added: number): number {
  const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
  const total = rollout.desired + rollout.maxSurge;
  const fraction =
    rollout.desired === 0 || !annotated
      ? -replicasOf(rs)
      : Math.round((replicasOf(rs) * total) / annotated) - replicasOf(rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

export function scaleReplicaSet(rollout: Rollout, rs: SimObject, replicas: number): SimObject {
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

export function reconcileNewReplicaSet(rollout: Rollout, newRS: SimObject, all: SimObject[]): SimObject {
  const current = replicasOf(newRS);
  if (current === rollout.desired) return newRS;
  if (current > rollout.desired) return scaleReplicaSet(rollout, newRS, rollout.desired);
  const total = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
  const maxTotal = rollout.desired + rollout.maxSurge;
  if (total >= maxTotal) return newRS;
  const scaleUp = Math.min(maxTotal - total, rollout.desired - current);
  return scaleReplicaSet(rollout, newRS, current + scaleUp);
}

export function reconcileOldReplicaSets(rollout: Rollout, oldRSs: SimObject[], newRS: SimObject): SimObject[] {
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

export function recreate(rollout: Rollout, newRS: SimObject, oldRSs: SimObject[]) {
  const old = oldRSs.map((rs) => scaleReplicaSet(rollout, rs, 0));
  const oldPods = old.reduce((sum, rs) => sum + statusCount(rs, 'replicas'), 0);
  const next = oldPods > 0 ? newRS : scaleReplicaSet(rollout, newRS, rollout.desired);
  return { newRS: next, oldRSs: old };
}
