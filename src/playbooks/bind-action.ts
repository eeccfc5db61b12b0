import type { ActionContext, ActionDefinition, ActionPlan, ApplyResult } from './action-types.js';
import type { ActionName, ActionWith } from './action-with.js';

/**
 * An action bound to its step's validated `with` values. The engine runs steps of every action in
 * one loop; binding each definition to its own input here, where both still carry the action's
 * name in their type, lets the engine call it without losing that type.
 */
export type BoundAction =
  | { mutating: false; run(ctx: ActionContext): Promise<string[]> }
  | {
      mutating: true;
      defaultTimeout?: string;
      plan(ctx: ActionContext): Promise<ActionPlan>;
      apply(ctx: ActionContext, plan: ActionPlan): Promise<ApplyResult>;
      verify?(ctx: ActionContext, plan: ActionPlan, timeoutMs: number): Promise<string>;
    };

export function bindAction<N extends ActionName>(definition: ActionDefinition<N>, w: ActionWith<N>): BoundAction {
  if (!definition.mutating) return { mutating: false, run: (ctx) => definition.run(ctx, w) };
  const bound: BoundAction = {
    mutating: true,
    defaultTimeout: definition.defaultTimeout,
    plan: (ctx) => definition.plan(ctx, w),
    apply: (ctx, plan) => definition.apply(ctx, plan, w),
  };
  if (definition.verify) bound.verify = (ctx, plan, timeoutMs) => definition.verify!(ctx, plan, w, timeoutMs);
  return bound;
}
