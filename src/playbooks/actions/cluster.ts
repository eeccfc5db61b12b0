import { IncError } from '../../errors.js';
import { isNotFound } from '../../kube/access.js';
import type { MutatingAction } from '../action-types.js';
import { sendMutation } from '../k8s/mutation.js';
import { planCordon } from '../k8s/nodes.js';
import { deletePlannedPod, isReschedulable, planPodDelete, selectPods, waitForPodsGone } from '../k8s/pods.js';
import { applyMutation, DryRunFailedError, dryRunMutation } from './kube-mutation.js';

export const nodeCordon: MutatingAction<'node.cordon'> = {
  name: 'node.cordon',
  description: 'mark a node unschedulable (uncordon: true makes it schedulable again)',
  mutating: true,
  async plan(ctx, w) {
    return dryRunMutation(ctx, 'node.cordon', await planCordon(await ctx.kube(), w.node, w.uncordon));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  async verify(ctx, _plan, w) {
    const node = await (await ctx.kube()).get<{ spec?: { unschedulable?: boolean } }>(`/api/v1/nodes/${w.node}`);
    const cordoned = Boolean(node.spec?.unschedulable);
    if (cordoned === Boolean(w.uncordon)) {
      throw new IncError(`node ${w.node} is still ${cordoned ? 'cordoned' : 'schedulable'} after the change`);
    }
    return cordoned ? `node ${w.node} is cordoned (SchedulingDisabled)` : `node ${w.node} is schedulable again`;
  },
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
      detail: { pods: plans.map((p, index) => ({ plan: p, uid: pods[index]?.metadata.uid })) },
    };
  },
  async apply(ctx, plan) {
    const kube = await ctx.kube();
    const planned = (plan.detail?.pods ?? []) as { plan: Parameters<typeof deletePlannedPod>[1]; uid?: string }[];
    const counts = { deleted: 0, gone: 0, replaced: 0 };
    for (const item of planned) counts[await deletePlannedPod(kube, item.plan, item.uid)] += 1;
    const extra = [
      counts.gone ? `${counts.gone} already gone` : '',
      counts.replaced ? `${counts.replaced} already replaced` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return { message: `deleted ${counts.deleted} pod(s)${extra ? ` (${extra})` : ''}`, after: counts };
  },
  /** Verified when every deleted pod is gone (a pod re-created under the same name has a new uid). */
  async verify(ctx, plan, _w, timeoutMs) {
    const planned = (plan.detail?.pods ?? []) as {
      plan: { target: { namespace?: string; name: string } };
      uid?: string;
    }[];
    const pods = planned.map(({ plan: deletion, uid }) => ({ ...deletion.target, uid }));
    const left = await waitForPodsGone(await ctx.kube(), pods, { clock: ctx.clock, signal: ctx.signal, timeoutMs });
    if (left.length > 0) {
      throw new IncError(
        `${left.length} of ${planned.length} deleted pod(s) still exist after ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    return `${planned.length} pod(s) gone; their controllers recreate them on schedulable nodes`;
  },
};
