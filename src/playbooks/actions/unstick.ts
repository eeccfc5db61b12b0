import type { ActionContext, ActionPlan, MutatingAction } from '../action-types.js';
import { findStuckStatefulSet, predictStuckStatefulSet, type StuckStatefulSet } from '../k8s/statefulset-stuck.js';
import { describeWorkload, type WorkloadRef, workloadKindOf } from '../k8s/workloads.js';
import { podDelete } from './cluster.js';
import { verifyRollout } from './rollout.js';

/**
 * In a dry run the rollback (restart, pinned image) before this step is planned, not applied:
 * nothing is stuck yet. The pods it would leave stuck are those of another revision than the
 * template it plans that wait for a reason time does not cure. Undefined outside a dry run, or
 * when no earlier step changes the StatefulSet's template.
 */
async function predictAfterEarlierSteps(
  ctx: ActionContext,
  ref: WorkloadRef,
): Promise<{ stuck: StuckStatefulSet; after: string } | undefined> {
  const change = [...(ctx.plannedEarlier?.() ?? [])]
    .reverse()
    .find(
      (plan) =>
        plan.target.kind === ref.kind &&
        plan.target.namespace === ref.namespace &&
        plan.target.name === ref.name &&
        Object.keys(plan.after ?? {}).some((field) => field.startsWith('spec.template')),
    );
  if (!change?.after) return undefined;
  const kube = await ctx.kube();
  const predicted = await predictStuckStatefulSet(
    kube,
    ref,
    change.after,
    (kube.serverNow?.() ?? ctx.clock.now()).getTime(),
  );
  if (!predicted) return undefined;
  const revision = predicted.newRevision ? 'a new revision' : `revision ${predicted.updateRevision}`;
  return { stuck: predicted, after: `once "${change.summary}" is applied, the rollout to ${revision}` };
}

/**
 * The documented fix of a StatefulSet rollout stuck on a pod of an earlier revision (the forced
 * rollback case): delete that pod, so the controller recreates it from the current template, then
 * wait for the rollout. Nothing to do for a Deployment or DaemonSet, or when nothing is stuck.
 */
export const rolloutUnstick: MutatingAction<'rollout.unstick'> = {
  name: 'rollout.unstick',
  description:
    "delete the pods of an earlier revision a StatefulSet waits for in vain (OrderedReady), so its rollout goes on: Kubernetes' fix for a stuck rollback",
  mutating: true,
  defaultTimeout: '5m',
  async plan(ctx, w) {
    const ref: WorkloadRef = { kind: workloadKindOf(w.kind), namespace: w.namespace, name: w.deployment };
    const kube = await ctx.kube();
    // The pods' Ready conditions are stamped by the cluster's clock: measured against its now.
    const now = (kube.serverNow?.() ?? ctx.clock.now()).getTime();
    const stuck = await findStuckStatefulSet(kube, ref, { now });
    const predicted = stuck ? undefined : await predictAfterEarlierSteps(ctx, ref);
    const found = stuck ?? predicted?.stuck;
    if (!found) {
      return {
        action: 'rollout.unstick',
        summary: `nothing to unstick: no pod of an earlier revision blocks the rollout of ${describeWorkload(ref)}`,
        target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
        namespace: ref.namespace,
        diff: [],
        dryRun: 'not-applicable',
        skip: `no pod of an earlier revision blocks the rollout of ${describeWorkload(ref)}`,
      };
    }
    const plans: ActionPlan[] = [];
    for (const pod of found.pods) plans.push(await podDelete.plan(ctx, { namespace: ref.namespace, pod: pod.name }));
    const why = found.pods.map((p) => `${ref.namespace}/${p.name} (revision ${p.revision}, ${p.why})`).join(', ');
    const summary = predicted
      ? `delete pod ${why} of ${describeWorkload(ref)}: ${predicted.after} would wait for it in vain (OrderedReady); deleted only if the rollout is stuck on it then`
      : `delete pod ${why} of ${describeWorkload(ref)}: the controller waits for it in vain and recreates it at revision ${found.updateRevision}`;
    return {
      action: 'rollout.unstick',
      summary,
      target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
      namespace: ref.namespace,
      before: { pods: found.pods.map((p) => `${ref.namespace}/${p.name}`) },
      after: { pods: [] },
      diff: plans.flatMap((plan) => plan.diff),
      dryRun: 'passed',
      detail: { pods: plans.flatMap((plan) => (plan.detail?.pods ?? []) as unknown[]) },
      irreversible: 'a deleted pod is recreated by its StatefulSet, not restored',
    };
  },
  apply: (ctx, plan) => podDelete.apply(ctx, plan, { namespace: plan.namespace ?? 'default', pod: plan.target.name }),
  verify: (ctx, _plan, w, timeoutMs) =>
    verifyRollout(ctx, { kind: workloadKindOf(w.kind), namespace: w.namespace, name: w.deployment }, timeoutMs),
};
