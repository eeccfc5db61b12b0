import type { MutatingAction } from '../action-types.js';
import { ARGO_DEFAULT_NAMESPACE, planArgoRollback, planAutoSync, waitForArgoOperation } from '../k8s/argo.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';
import { withProgress } from './with-progress.js';

export const argoAutoSync: MutatingAction<'argo.autosync'> = {
  name: 'argo.autosync',
  description: 'turn Argo CD auto-sync of an Application off (remembering its settings) or back on',
  mutating: true,
  async plan(ctx, w) {
    const namespace = w.namespace ?? ARGO_DEFAULT_NAMESPACE;
    const mutation = await planAutoSync(await ctx.kube(), namespace, w.app, w.enable, w.previous);
    return dryRunMutation(ctx, 'argo.autosync', mutation);
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
};

export const argoRollback: MutatingAction<'argo.rollback'> = {
  name: 'argo.rollback',
  description:
    'roll an Argo CD Application back to a history entry (default the second-to-last), as argocd app rollback',
  mutating: true,
  defaultTimeout: '5m',
  async plan(ctx, w) {
    const namespace = w.namespace ?? ARGO_DEFAULT_NAMESPACE;
    const mutation = await planArgoRollback(await ctx.kube(), namespace, w.app, {
      id: w.id,
      prune: w.prune,
      username: ctx.actor,
    });
    return dryRunMutation(ctx, 'argo.rollback', mutation);
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify(ctx, _plan, w, timeoutMs) {
    const namespace = w.namespace ?? ARGO_DEFAULT_NAMESPACE;
    return withProgress(ctx, `waiting for Argo CD to sync ${namespace}/${w.app}`, async (onStatus) =>
      waitForArgoOperation(await ctx.kube(), namespace, w.app, {
        clock: ctx.clock,
        timeoutMs,
        signal: ctx.signal,
        onStatus,
      }),
    );
  },
};
