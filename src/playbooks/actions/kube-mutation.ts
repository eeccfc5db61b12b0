import { IncError } from '../../errors.js';
import { type MutationPlan, pickFields, sendMutation } from '../../kube/mutation.js';
import { describeWorkload, isConflict, type RawObject } from '../../kube/workloads.js';
import type { ActionContext, ActionPlan, ApplyResult } from '../action-types.js';
import type { ActionName } from '../action-with.js';
import { diffViews } from '../diff.js';
import { ConcurrentChangeError } from '../errors.js';

export class DryRunFailedError extends IncError {
  constructor(what: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`the server-side dry run of "${what}" failed: ${message}; nothing was changed`, {
      code: 'DRY_RUN_FAILED',
      cause,
      hint: 'the API server refused the change as planned; fix the cause above and rerun',
    });
  }
}

/** Turns a planned request into an ActionPlan: sends it with dryRun=All and diffs what the server would store. */
export async function dryRunMutation(
  ctx: ActionContext,
  action: ActionName,
  mutation: MutationPlan,
): Promise<ActionPlan> {
  const plan: ActionPlan = {
    action,
    summary: mutation.summary,
    target: mutation.target,
    namespace: mutation.target.namespace,
    before: mutation.before,
    diff: [],
    dryRun: 'not-applicable',
    resourceVersion: mutation.resourceVersion,
    inverse: mutation.inverse,
    skip: mutation.skip,
    warnings: mutation.warnings,
    mutation,
  };
  if (mutation.skip) return plan;
  const kube = await ctx.kube();
  let answer: unknown;
  try {
    answer = await sendMutation(kube, mutation.request, true);
  } catch (error) {
    if (isConflict(error)) throw await conflictError(ctx, mutation);
    throw new DryRunFailedError(mutation.summary, error);
  }
  // A DELETE answers with the object or a Status; nothing of the object remains afterwards.
  const after = mutation.request.method === 'DELETE' ? {} : pickFields(answer as RawObject, mutation.fields);
  return { ...plan, after, diff: diffViews(mutation.before, after), dryRun: 'passed' };
}

/** Sends the planned request for real. A 409 means someone changed the object since the plan: reported, never retried. */
export async function applyMutation(ctx: ActionContext, plan: ActionPlan): Promise<ApplyResult> {
  const mutation = plan.mutation;
  if (!mutation) throw new IncError(`step ${plan.action} has no planned request`);
  const kube = await ctx.kube();
  try {
    const answer = await sendMutation(kube, mutation.request, false);
    const after = mutation.request.method === 'DELETE' ? {} : pickFields(answer as RawObject, mutation.fields);
    return { message: `${mutation.summary}: applied`, after };
  } catch (error) {
    if (isConflict(error)) throw await conflictError(ctx, mutation);
    throw error;
  }
}

async function conflictError(ctx: ActionContext, mutation: MutationPlan): Promise<ConcurrentChangeError> {
  let current: string | undefined;
  try {
    const kube = await ctx.kube();
    const path = mutation.request.path.replace(/\/scale$/, '');
    current = (await kube.get<RawObject>(path)).metadata.resourceVersion;
  } catch {
    current = undefined;
  }
  return new ConcurrentChangeError(describeWorkload(mutation.target), mutation.resourceVersion, current);
}
