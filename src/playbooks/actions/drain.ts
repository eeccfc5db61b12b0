import { parseDuration } from '../../duration.js';
import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import type { ActionPlan, MutatingAction } from '../action-types.js';
import {
  type DrainPod,
  deleteDrainPod,
  describeBlocks,
  type EvictAllResult,
  type EvictionBlock,
  evictAll,
  evictPod,
  selectDrainPods,
} from '../k8s/drain.js';
import { waitForPodsGone } from '../k8s/pods.js';

const DEFAULT_EVICTION_TIMEOUT = '2m';

interface DrainDetail {
  pods: DrainPod[];
  forceDelete: boolean;
}

function skippedWarnings(skipped: ReturnType<typeof selectDrainPods>['skipped']): string[] {
  const out: string[] = [];
  if (skipped.daemonSet + skipped.mirror > 0)
    out.push(
      `left alone: ${skipped.daemonSet} DaemonSet and ${skipped.mirror} mirror pod(s), which belong on this node`,
    );
  if (skipped.unmanaged.length > 0)
    out.push(
      `left alone: pods no controller would recreate (evicting them would lose them): ${skipped.unmanaged.join(', ')}`,
    );
  return out;
}

/** The pods a dry-run eviction says a budget refuses now, grouped by budget. */
function blockedNowWarnings(node: string, blocked: EvictAllResult['blocked'], forceDelete: boolean): string[] {
  if (blocked.size === 0) return [];
  const then = forceDelete
    ? 'what is still refused when the time is up is deleted (forceDelete=true bypasses the budget)'
    : `what is still refused when the time is up stays on node ${node}; forceDelete=true would delete it, bypassing the budget`;
  return [
    ...describeBlocks(blocked).map((line) => `refused now by ${line}`),
    `evictions a budget refuses are retried while replacements become ready; ${then}`,
  ];
}

export const nodeDrain: MutatingAction<'node.drain'> = {
  name: 'node.drain',
  description:
    'evict the pods of a node through the Eviction API, as kubectl drain (DaemonSet and mirror pods skipped, PodDisruptionBudgets honoured; forceDelete: true deletes what a budget keeps refusing)',
  mutating: true,
  defaultTimeout: '5m',
  async plan(ctx, w) {
    const kube = await ctx.kube();
    const { items } = await kube.list<RawObject>('/api/v1/pods', { fieldSelector: `spec.nodeName=${w.node}` });
    const { pods, skipped } = selectDrainPods(items);
    const blocked: EvictAllResult['blocked'] = new Map();
    // The server's dry run of every eviction: it checks the budgets as the real one will.
    for (const pod of pods) {
      const outcome = await evictPod(kube, pod, true);
      if (outcome.kind === 'blocked')
        blocked.set(`${pod.namespace}/${pod.name}`, { pod, ...(outcome as EvictionBlock) });
    }
    const names = pods.map((p) => `${p.namespace}/${p.name}`);
    const forceDelete = w.forceDelete === true;
    const detail: DrainDetail = { pods, forceDelete };
    return {
      action: 'node.drain',
      summary: `evict ${pods.length} pod(s) from node ${w.node} through the Eviction API (PodDisruptionBudgets honoured)`,
      target: { kind: 'Node', name: w.node },
      before: { pods: names },
      after: { pods: [] },
      diff: names.map((name) => `-pod ${name}`),
      dryRun: 'passed',
      skip: pods.length === 0 ? `no pods to evict from node ${w.node}` : undefined,
      warnings: [
        ...skippedWarnings(skipped),
        ...blockedNowWarnings(w.node, blocked, forceDelete),
        // Said before the question: an undo uncordons, it does not bring these pods back.
        ...(pods.length
          ? ['inc undo does not bring evicted pods back: their controllers start new ones elsewhere']
          : []),
      ],
      detail: detail as unknown as Record<string, unknown>,
    };
  },
  async apply(ctx, plan, w) {
    const kube = await ctx.kube();
    const { pods, forceDelete } = plan.detail as unknown as DrainDetail;
    const progress = ctx.progress(`evicting ${pods.length} pod(s) from node ${w.node}`);
    const timeoutMs = parseDuration(w.timeout ?? DEFAULT_EVICTION_TIMEOUT, 'timeout');
    const result = await evictAll(kube, pods, {
      clock: ctx.clock,
      signal: ctx.signal,
      timeoutMs,
      onStatus: (text) => progress.update(text),
    }).catch((error: unknown) => {
      // Ctrl-C or a failed request: the line ends (a spinner left running would keep inc from exiting).
      progress.fail(error instanceof Error ? error.message : String(error));
      throw error;
    });
    const refused = [...result.blocked.values()].map((b) => b.pod);
    // Terminating pods of a node that does not answer never finish by themselves.
    const stuck = pods.filter((p) => p.terminating && !result.blocked.has(`${p.namespace}/${p.name}`));
    const toDelete = forceDelete ? [...refused, ...stuck] : [];
    let deleted = 0;
    for (const pod of toDelete) if ((await deleteDrainPod(kube, pod)) === 'deleted') deleted += 1;
    const evicted = `evicted ${result.evicted.length} pod(s) from node ${w.node}`;
    if (refused.length > 0 && !forceDelete) {
      progress.fail(`${refused.length} pod(s) refused by a disruption budget`);
      throw new IncError(
        `drain of node ${w.node} incomplete: ${evicted}; still refused after ${w.timeout ?? DEFAULT_EVICTION_TIMEOUT}: ${describeBlocks(result.blocked).join('; ')}`,
        {
          code: 'EVICTION_BLOCKED',
          hint: `wait until the budget's pods are ready elsewhere and rerun, or delete them anyway (bypassing the budget): inc run cordon-node --set node=${w.node} --set forceDelete=true`,
        },
      );
    }
    const message = deleted > 0 ? `${evicted}; deleted ${deleted} (forceDelete)` : evicted;
    progress.succeed(`${result.evicted.length} of ${pods.length} evicted${deleted > 0 ? `, ${deleted} deleted` : ''}`);
    return { message, after: { evicted: result.evicted.length, deleted } };
  },
  /** Verified when every evicted (or deleted) pod is gone; a replacement of the same name has a new uid. */
  async verify(ctx, plan: ActionPlan, w, timeoutMs) {
    const { pods, forceDelete } = plan.detail as unknown as DrainDetail;
    if (w.waitForDelete === false)
      return `${pods.length} pod(s) evicted from node ${w.node}; not waiting for the node to confirm their termination`;
    const left = await waitForPodsGone(await ctx.kube(), pods, { clock: ctx.clock, signal: ctx.signal, timeoutMs });
    if (left.length > 0) {
      const names = left.map((p) => `${p.namespace}/${p.name}`).join(', ');
      throw new IncError(
        `${left.length} of ${pods.length} pod(s) still on node ${w.node} after ${Math.round(timeoutMs / 1000)} s: ${names}`,
        {
          hint: forceDelete
            ? 'check the pods with kubectl get pods -o wide'
            : `a node that does not answer never confirms its pods' termination; delete them anyway: inc run cordon-node --set node=${w.node} --set forceDelete=true`,
        },
      );
    }
    return `${pods.length} pod(s) gone from node ${w.node}; their controllers recreate them on schedulable nodes`;
  },
};
