import type { RawObject } from '../../kube/access.js';
import type { ActionContext, ActionPlan, MutatingAction } from '../action-types.js';
import { autoscalerOf, describeHpa, hpaPath, planAutoscalerBounds, waitForAutoscaler } from '../k8s/hpa.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';
import { withProgress } from './with-progress.js';

/** Waits, behind a progress line, until the HPA has its target inside its bounds and serving. */
export function verifyAutoscaler(
  ctx: ActionContext,
  hpa: { namespace: string; name: string },
  timeoutMs: number,
): Promise<string> {
  return withProgress(ctx, `waiting for ${describeHpa(hpa)} to resize its target`, async (onStatus) =>
    waitForAutoscaler(await ctx.kube(), hpa, { clock: ctx.clock, timeoutMs, signal: ctx.signal, onStatus }),
  );
}

/** The HPA a plan changes (the scale action's HPA path), for verify; undefined for a plain scale. */
export function plannedAutoscaler(plan: ActionPlan): { namespace: string; name: string } | undefined {
  return plan.target.kind === 'HorizontalPodAutoscaler' && plan.target.namespace
    ? { namespace: plan.target.namespace, name: plan.target.name }
    : undefined;
}

export const hpaBounds: MutatingAction<'hpa.bounds'> = {
  name: 'hpa.bounds',
  description: "set a HorizontalPodAutoscaler's minReplicas and/or maxReplicas (with optional preconditions)",
  mutating: true,
  defaultTimeout: '5m',
  async plan(ctx, w) {
    const hpa = autoscalerOf(await (await ctx.kube()).get<RawObject>(hpaPath(w.namespace, w.hpa)));
    return dryRunMutation(ctx, 'hpa.bounds', planAutoscalerBounds(hpa, w));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify: (ctx, _plan, w, timeoutMs) => verifyAutoscaler(ctx, { namespace: w.namespace, name: w.hpa }, timeoutMs),
};
