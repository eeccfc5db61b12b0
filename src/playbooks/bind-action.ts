import type { ActionDefinition, BoundAction } from './action-types.js';
import type { ActionName, ActionWith } from './action-with.js';

export type { BoundAction };

export function bindAction<N extends ActionName>(definition: ActionDefinition<N>, w: ActionWith<N>): BoundAction {
  if (!definition.mutating) return { mutating: false, run: (ctx) => definition.run(ctx, w) };
  const bound: BoundAction = {
    mutating: true,
    defaultTimeout: definition.defaultTimeout,
    plan: (ctx) => definition.plan(ctx, w),
    apply: (ctx, plan) => definition.apply(ctx, plan, w),
  };
  if (definition.verify) bound.verify = (ctx, plan, timeoutMs) => definition.verify!(ctx, plan, w, timeoutMs);
  if (definition.expand) bound.expand = (ctx) => definition.expand!(ctx, w);
  return bound;
}
