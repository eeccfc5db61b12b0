/**
 * A deployment's status and conditions as the controller computes them: counts summed over its
 * ReplicaSets, Available (MinimumReplicasAvailable/Unavailable) and Progressing (NewReplicaSetCreated,
 * FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded), with kube's
 * rules for when lastUpdateTime and lastTransitionTime move.
 */
import type { SimObject } from '../cluster-state.js';
import { type Rollout, replicasOf, statusCount } from './deployment-scaling.js';
import { type Dict, ms } from './util.js';

export function condition(type: string, status: string, reason: string, message: string, now: string): Dict {
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

/** The status over all ReplicaSets; without a new ReplicaSet (a paused template change) none is updated. */
export function computeStatus(
  rollout: Rollout,
  newRS: SimObject | undefined,
  all: SimObject[],
  conditions: Dict[],
): Dict {
  const sum = (field: string) => all.reduce((total, rs) => total + statusCount(rs, field), 0);
  const available = sum('availableReplicas');
  const specTotal = all.reduce((total, rs) => total + replicasOf(rs), 0);
  const status: Dict = {
    observedGeneration: rollout.deployment.metadata.generation ?? 1,
    replicas: sum('replicas'),
    updatedReplicas: newRS ? statusCount(newRS, 'replicas') : 0,
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

export function isComplete(rollout: Rollout, status: Dict): boolean {
  return (
    status.updatedReplicas === rollout.desired &&
    status.replicas === rollout.desired &&
    status.availableReplicas === rollout.desired &&
    (status.observedGeneration as number) >= (rollout.deployment.metadata.generation ?? 1)
  );
}

/** kube's syncRolloutStatus: complete, progressing (moves lastUpdateTime), or timed out. */
export function syncProgress(rollout: Rollout, newRS: SimObject, status: Dict, conditions: Dict[]): void {
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

export function orderConditions(conditions: Dict[]): Dict[] {
  const order = ['Available', 'Progressing', 'ReplicaFailure'];
  return [...conditions].sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)));
}
