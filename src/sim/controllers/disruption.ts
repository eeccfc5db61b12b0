/**
 * The disruption controller: keeps each PodDisruptionBudget's status (expected, healthy and desired
 * pod counts, disruptions allowed, the DisruptionAllowed condition) as kube-controller-manager does,
 * so the eviction subresource can refuse what would break a budget.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { isPodReady } from './replicaset.js';
import { controllerOf, type Dict, deepEqual, isDeleting, iso, matchesSelector, setCondition } from './util.js';

/** `10` or `"30%"` of `total`, rounded up, as intstr.GetScaledValueFromIntOrPercent(…, true). */
export function scaledValue(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value));
  return percent ? Math.ceil((Number(percent[1]) * total) / 100) : 0;
}

/** The pods of the budget's namespace its selector picks (an empty selector picks none). */
export function podsOfBudget(state: ClusterState, pdb: SimObject): SimObject[] {
  const selector = (pdb.spec as Dict | undefined)?.selector;
  return state.list('Pod', pdb.metadata.namespace).filter((pod) => matchesSelector(pod.metadata.labels, selector));
}

/** The budgets that cover a pod. */
export function budgetsOfPod(state: ClusterState, pod: SimObject): SimObject[] {
  return state
    .list('PodDisruptionBudget', pod.metadata.namespace)
    .filter((pdb) => matchesSelector(pod.metadata.labels, (pdb.spec as Dict | undefined)?.selector));
}

/** The replicas the pods' controllers ask for (a ReplicaSet counts as its Deployment), each controller once. */
function expectedScale(state: ClusterState, pods: SimObject[]): number {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const owner = controllerOf(pod);
    if (!owner) continue;
    let controller = state.get(owner.kind, pod.metadata.namespace, owner.name);
    const parent = controller && controllerOf(controller);
    if (controller && parent?.kind === 'Deployment')
      controller = state.get('Deployment', pod.metadata.namespace, parent.name);
    if (!controller?.metadata.uid) continue;
    seen.set(controller.metadata.uid, Number((controller.spec as Dict | undefined)?.replicas ?? 0));
  }
  return [...seen.values()].reduce((sum, n) => sum + n, 0);
}

/** The status a budget should have now (disruptedPods: pods evicted and not gone yet). */
export function budgetStatus(state: ClusterState, pdb: SimObject): Dict {
  const spec = (pdb.spec ?? {}) as Dict;
  const previous = (pdb.status ?? {}) as Dict;
  const pods = podsOfBudget(state, pdb);
  const live = new Set(pods.map((p) => p.metadata.name));
  const disrupted = Object.fromEntries(
    Object.entries((previous.disruptedPods ?? {}) as Record<string, string>).filter(([name]) => live.has(name)),
  );
  let expectedPods: number;
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale(state, pods);
    desiredHealthy = Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods));
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = expectedScale(state, pods);
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods);
  } else {
    expectedPods = pods.length;
    desiredHealthy = Number(spec.minAvailable ?? 0);
  }
  const currentHealthy = pods.filter((p) => !isDeleting(p) && !(p.metadata.name in disrupted) && isPodReady(p)).length;
  const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
  const status: Dict = {
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: allowedCondition(previous, disruptionsAllowed, pdb, iso(state.now())),
  };
  if (Object.keys(disrupted).length > 0) status.disruptedPods = disrupted;
  return status;
}

/** The DisruptionAllowed condition, as pdbhelper.UpdateDisruptionAllowedCondition sets it. */
export function allowedCondition(previous: Dict, disruptionsAllowed: number, pdb: SimObject, at: string): Dict[] {
  const allowed = disruptionsAllowed > 0;
  return setCondition(
    (previous.conditions ?? []) as Dict[],
    {
      type: 'DisruptionAllowed',
      status: allowed ? 'True' : 'False',
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation ?? 1,
    },
    at,
  );
}

export const disruptionController: Controller = {
  name: 'disruption',
  reconcile(state) {
    for (const pdb of state.list('PodDisruptionBudget')) {
      const next = budgetStatus(state, pdb);
      if (!deepEqual(pdb.status, next)) state.update({ ...pdb, status: next });
    }
  },
};
