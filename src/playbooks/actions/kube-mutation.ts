import { isDeepStrictEqual } from 'node:util';
import { IncError } from '../../errors.js';
import { isConflict, type RawObject } from '../../kube/access.js';
import { ClusterUnreachableError } from '../../kube/errors.js';
import type { ActionContext, ActionPlan, ApplyResult } from '../action-types.js';
import type { ActionName } from '../action-with.js';
import { diffViews } from '../diff.js';
import { ConcurrentChangeError } from '../errors.js';
import { type MutationPlan, type MutationRequest, pickFields, sendMutation } from '../k8s/mutation.js';
import { describeWorkload } from '../k8s/workloads.js';

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

const CONFLICT_RETRIES = 3;

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
    irreversible: mutation.irreversible,
    skip: mutation.skip,
    warnings: mutation.warnings,
    mutation,
  };
  if (mutation.skip) return plan;
  let answer: unknown;
  try {
    const sent = await sendPreconditioned(ctx, mutation, true);
    answer = sent.answer;
    // The apply that follows goes out at the version the dry run was checked against.
    mutation.request = sent.request;
    mutation.resourceVersion = sent.resourceVersion;
    plan.resourceVersion = sent.resourceVersion;
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw error;
    throw new DryRunFailedError(mutation.summary, error);
  }
  // A DELETE answers with the object or a Status; nothing of the object remains afterwards.
  const after = mutation.request.method === 'DELETE' ? {} : pickFields(answer as RawObject, mutation.fields);
  return { ...plan, after, diff: diffViews(mutation.before, after), dryRun: 'passed' };
}

/** Sends the planned request for real, at the resourceVersion the dry run was checked against. */
export async function applyMutation(ctx: ActionContext, plan: ActionPlan): Promise<ApplyResult> {
  const mutation = plan.mutation;
  if (!mutation) throw new IncError(`step ${plan.action} has no planned request`);
  try {
    const { answer, request } = await sendPreconditioned(ctx, mutation, false);
    const after = request.method === 'DELETE' ? {} : pickFields(answer as RawObject, mutation.fields);
    return { message: `${mutation.summary}: applied`, after };
  } catch (error) {
    if (error instanceof ClusterUnreachableError && mutation.request.method !== 'DELETE')
      return confirmAfterLostAnswer(ctx, plan, mutation, error);
    throw error;
  }
}

/**
 * Sends the planned request with its resourceVersion as a precondition. A 409 means the object changed
 * since the plan. When the fields this change touches are still exactly as planned (controllers update
 * status and bump the resourceVersion all the time), the preview is still true, so the request is resent
 * at the new resourceVersion; otherwise someone changed what we were about to change, and that is
 * reported (ConcurrentChangeError), never overwritten.
 */
async function sendPreconditioned(
  ctx: ActionContext,
  mutation: MutationPlan,
  dryRun: boolean,
): Promise<{ answer: unknown; request: MutationRequest; resourceVersion: string | undefined }> {
  const kube = await ctx.kube();
  let request = mutation.request;
  let resourceVersion = mutation.resourceVersion;
  for (let attempt = 0; ; attempt++) {
    try {
      return { answer: await sendMutation(kube, request, dryRun), request, resourceVersion };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const refreshed = attempt < CONFLICT_RETRIES ? await unchangedSincePlan(ctx, mutation) : undefined;
      if (!refreshed) throw await conflictError(ctx, mutation);
      request = { ...request, body: withResourceVersion(request.body, refreshed) };
      resourceVersion = refreshed;
    }
  }
}

/**
 * The answer to a write was lost (timeout, dropped connection): the server may well have applied
 * it. Read the object back: the planned fields as the dry run said they would be means applied
 * (and undoable); as before means not applied; anything else, or no answer, is unknown.
 */
async function confirmAfterLostAnswer(
  ctx: ActionContext,
  plan: ActionPlan,
  mutation: MutationPlan,
  lost: ClusterUnreachableError,
): Promise<ApplyResult> {
  const path = mutation.request.path.replace(/\/(scale|status)$/, '');
  let current: RawObject | undefined;
  try {
    current = await (await ctx.kube()).get<RawObject>(path);
  } catch {
    current = undefined;
  }
  const fields = current ? pickFields(current, mutation.fields) : undefined;
  if (fields && plan.after && isDeepStrictEqual(fields, plan.after))
    return { message: `${mutation.summary}: applied (confirmed after the answer was lost)`, after: fields };
  if (fields && isDeepStrictEqual(fields, mutation.before)) throw lost;
  const target = plan.target;
  const check = `kubectl get ${target.kind.toLowerCase()} ${target.name}${target.namespace ? ` -n ${target.namespace}` : ''} -o yaml`;
  throw new IncError(`${mutation.summary}: outcome unknown (the answer was lost: ${lost.message})`, {
    code: 'OUTCOME_UNKNOWN',
    hint: `check whether the change is there before retrying: ${check}`,
    cause: lost,
  });
}

/** The current resourceVersion when the planned fields are unchanged since the plan; else undefined. */
async function unchangedSincePlan(ctx: ActionContext, mutation: MutationPlan): Promise<string | undefined> {
  if (mutation.request.method === 'DELETE' || !mutation.resourceVersion) return undefined;
  try {
    const kube = await ctx.kube();
    const current = await kube.get<RawObject>(mutation.request.path.replace(/\/(scale|status)$/, ''));
    const same = isDeepStrictEqual(pickFields(current, mutation.fields), mutation.before);
    return same ? current.metadata.resourceVersion : undefined;
  } catch {
    return undefined;
  }
}

/** The request body with its resourceVersion precondition moved to `rv` (merge/strategic patch, PUT, or JSON-patch test). */
export function withResourceVersion(body: unknown, rv: string): unknown {
  if (Array.isArray(body)) {
    return body.map((op) =>
      op && typeof op === 'object' && (op as { path?: string }).path === '/metadata/resourceVersion'
        ? { ...op, value: rv }
        : op,
    );
  }
  if (body && typeof body === 'object') {
    const metadata = (body as { metadata?: Record<string, unknown> }).metadata;
    if (metadata && 'resourceVersion' in metadata) return { ...body, metadata: { ...metadata, resourceVersion: rv } };
  }
  return body;
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
