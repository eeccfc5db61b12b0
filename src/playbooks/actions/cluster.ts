import { IncError } from '../../errors.js';
import { sendMutation } from '../../kube/mutation.js';
import { planCordon } from '../../kube/nodes.js';
import { isReschedulable, planPodDelete, selectPods } from '../../kube/pods.js';
import { isConflict, isNotFound } from '../../kube/workloads.js';
import type { MutatingAction } from '../action-types.js';
import { applyMutation, DryRunFailedError, dryRunMutation } from './kube-mutation.js';

export const nodeCordon: MutatingAction<'node.cordon'> = {
  name: 'node.cordon',
  description: 'mark a node unschedulable (uncordon: true makes it schedulable again)',
  mutating: true,
  async plan(ctx, w) {
    return dryRunMutation(ctx, 'node.cordon', await planCordon(await ctx.kube(), w.node, w.uncordon));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
};

export const podDelete: MutatingAction<'pod.delete'> = {
  name: 'pod.delete',
  description: 'delete a pod (or the pods matching a selector or on a node) so their controllers recreate them',
  mutating: true,
  async plan(ctx, w) {
    if (!w.pod && !w.selector && !w.node) throw new IncError('pod.delete needs pod, selector or node');
    const kube = await ctx.kube();
    let pods = await selectPods(kube, w);
    const skipped = w.node ? pods.filter((p) => !isReschedulable(p)) : [];
    if (w.node) pods = pods.filter(isReschedulable);
    const plans = pods.map(planPodDelete);
    for (const plan of plans) {
      try {
        await sendMutation(kube, plan.request, true);
      } catch (error) {
        if (isNotFound(error)) continue;
        throw new DryRunFailedError(plan.summary, error);
      }
    }
    const where = w.pod
      ? `pod ${w.namespace ?? 'default'}/${w.pod}`
      : w.node
        ? `node ${w.node}`
        : `selector ${w.selector}`;
    const names = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    return {
      action: 'pod.delete',
      summary:
        plans.length === 1 && w.pod
          ? (plans[0]?.summary ?? '')
          : `delete ${plans.length} pod(s) of ${where} so their controllers recreate them elsewhere`,
      target: w.pod
        ? { kind: 'Pod', namespace: w.namespace, name: w.pod }
        : w.node
          ? { kind: 'Node', name: w.node }
          : { kind: 'Pod', namespace: w.namespace, name: w.selector ?? '' },
      namespace: w.namespace,
      before: { pods: names },
      after: { pods: [] },
      diff: names.map((name) => `-pod ${name}`),
      dryRun: 'passed',
      skip: plans.length === 0 ? `no pods to delete for ${where}` : undefined,
      warnings: skipped.length
        ? [`left alone: ${skipped.length} DaemonSet or static pod(s), which would come back on the same node`]
        : undefined,
      detail: { pods: plans.map((p) => p.request) },
    };
  },
  async apply(ctx, plan) {
    const kube = await ctx.kube();
    const requests = (plan.detail?.pods ?? []) as Parameters<typeof sendMutation>[1][];
    let deleted = 0;
    let gone = 0;
    for (const request of requests) {
      try {
        await sendMutation(kube, request, false);
        deleted += 1;
      } catch (error) {
        // Already gone, or already replaced (uid precondition): either way the controller acted.
        if (isNotFound(error) || isConflict(error)) gone += 1;
        else throw error;
      }
    }
    return {
      message: `deleted ${deleted} pod(s)${gone ? `, ${gone} already gone` : ''}`,
      after: { deleted, alreadyGone: gone },
    };
  },
};
