import { pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import { isNotFound } from '../../kube/access.js';
import type { ActionPlan, MutatingAction, ReadAction } from '../action-types.js';
import { assertNodeDown, type BoundPod, planNodeDelete } from '../k8s/node-delete.js';
import { waitForPodsGone } from '../k8s/pods.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';

export const nodeDelete: MutatingAction<'node.delete'> = {
  name: 'node.delete',
  description:
    'delete a Node that will not come back (kubectl delete node): its pods go to the pod garbage collector and are recreated elsewhere; cannot be undone',
  mutating: true,
  defaultTimeout: '2m',
  async plan(ctx, w) {
    const { detail, ...mutation } = await planNodeDelete(await ctx.kube(), w.node);
    const plan = await dryRunMutation(ctx, 'node.delete', mutation);
    return { ...plan, detail };
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  /** Verified once the Node is gone and the pods bound to it have been removed (their controllers replace them). */
  async verify(ctx, plan: ActionPlan, w, timeoutMs) {
    const kube = await ctx.kube();
    const deadline = ctx.clock.now().getTime() + timeoutMs;
    const gone = await pollUntil(ctx.clock, ctx.signal, timeoutMs, async () => {
      try {
        await kube.get(`/api/v1/nodes/${encodeURIComponent(w.node)}`);
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    });
    if (!gone) throw new IncError(`node ${w.node} still exists after ${Math.round(timeoutMs / 1000)} s`);
    const pods = ((plan.detail?.pods ?? []) as BoundPod[]).slice();
    const left = await waitForPodsGone(kube, pods, {
      clock: ctx.clock,
      signal: ctx.signal,
      timeoutMs: Math.max(0, deadline - ctx.clock.now().getTime()),
    });
    if (left.length > 0) {
      throw new IncError(
        `node ${w.node} is deleted, but ${left.length} of its ${pods.length} pod(s) are still there: ${left.map((p) => `${p.namespace}/${p.name}`).join(', ')}`,
        {
          hint: 'the pod garbage collector of kube-controller-manager removes them about 40 s after the node is gone; check with kubectl get pods -A -o wide',
        },
      );
    }
    return `node ${w.node} deleted; ${pods.length} pod(s) that were bound to it are gone (their controllers recreate them on the remaining nodes)`;
  },
};

/** Stops a playbook before its first change when the node is Ready: a live node must not be deleted. */
export const nodeExpectDown: ReadAction<'node.expect-down'> = {
  name: 'node.expect-down',
  description: "fail unless the node's kubelet stopped posting status (Ready is not True): guards a node's removal",
  mutating: false,
  async run(ctx, w) {
    return [await assertNodeDown(await ctx.kube(), w.node)];
  },
};
