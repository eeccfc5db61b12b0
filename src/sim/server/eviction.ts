import type { SimObject } from '../cluster-state.js';
import { allowedCondition, budgetsOfPod } from '../controllers/disruption.js';
import { isPodReady } from '../controllers/replicaset.js';
import { isPlainObject, type Json } from '../patch/merge-patch.js';
import { ApiStatusError, badRequest } from '../status.js';
import { requireObject } from './read.js';
import type { WriteContext } from './write.js';

type Dict = Record<string, unknown>;

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/** 429 TooManyRequests with the DisruptionBudget cause, as the eviction REST handler answers. */
function budgetViolation(cause: string): ApiStatusError {
  return new ApiStatusError(429, 'TooManyRequests', VIOLATION, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

const SUCCESS = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });

/** Pods that already stopped counting (terminal, pending, being deleted) are deleted without asking a budget. */
function canIgnoreBudget(pod: SimObject): boolean {
  const phase = (pod.status as Dict | undefined)?.phase;
  return (
    phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined
  );
}

/**
 * The eviction subresource (POST policy/v1 Eviction): deletes the pod when no PodDisruptionBudget
 * covering it objects. A budget that allows no disruption answers 429 with the upstream message;
 * an allowed eviction takes one disruption from the budget's status (and names the pod in
 * `disruptedPods`) before the pod goes, so two quick evictions cannot both spend the last one.
 * An unready pod is evicted without spending one while the budget is otherwise met.
 */
export function handleEviction(ctx: WriteContext, name: string, body: unknown): string {
  if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
  const eviction = body as { metadata?: { name?: string }; deleteOptions?: { dryRun?: string[] } };
  if (eviction.metadata?.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const dryRun = ctx.dryRun || eviction.deleteOptions?.dryRun?.includes('All') === true;
  const pod = requireObject(ctx.store, ctx.resource, ctx.namespace, name).object;
  const evict = () => {
    if (!dryRun) ctx.store.delete('Pod', pod.metadata.namespace, name);
    return SUCCESS;
  };
  if (canIgnoreBudget(pod)) return evict();
  const budgets = budgetsOfPod(ctx.store, pod);
  if (budgets.length > 1) {
    throw new ApiStatusError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const pdb = budgets[0];
  if (!pdb) return evict();
  const status = (pdb.status ?? {}) as Dict;
  const desired = Number(status.desiredHealthy ?? 0);
  const healthy = Number(status.currentHealthy ?? 0);
  if (!isPodReady(pod) && healthy >= desired && desired > 0) return evict();
  if (Number(status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) {
    throw budgetViolation(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
  }
  const allowed = Number(status.disruptionsAllowed ?? 0);
  if (allowed <= 0) {
    throw budgetViolation(
      `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently`,
    );
  }
  if (!dryRun) {
    const at = ctx.store.now().toISOString();
    const next: Dict = {
      ...status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...((status.disruptedPods ?? {}) as Dict), [name]: at },
    };
    if (allowed - 1 === 0) next.conditions = allowedCondition(status, 0, pdb, `${at.slice(0, 19)}Z`);
    ctx.store.update({ ...pdb, status: next });
  }
  return evict();
}
