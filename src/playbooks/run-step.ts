import { parseDuration } from '../duration.js';
import { IncError, InterruptedError } from '../errors.js';
import type { ActionPlan, ApplyResult, ClusterInfo } from './action-types.js';
import type { BoundAction } from './bind-action.js';
import { ChangeMadeError } from './errors.js';
import { OnDeleteError } from './k8s/rollout-status.js';
import { RolloutStuckError } from './k8s/statefulset-stuck.js';
import { isProtected } from './protected-context.js';
import { renderStepTimeout } from './render-with.js';
import type { Prepared, RunPlaybookInput, RunResult, StepOutcome } from './run-types.js';
import type { PlaybookStep } from './schema.js';

type MutatingStepAction = Extract<BoundAction, { mutating: true }>;

/** What the phases of one change share: the step, its plan, and the fields every event of it carries. */
interface ChangeRun {
  input: RunPlaybookInput;
  item: Prepared;
  plan: ActionPlan;
  actionId: string;
  base: Record<string, unknown>;
  /** An undo is linked to what it reverts from its `undone` event on: a plan or a failed apply reverts nothing. */
  linked: Record<string, unknown>;
}

/** One change: plan (with the dry run) → confirm → apply → verify, each phase recorded. */
export async function runMutation(input: RunPlaybookInput, item: Prepared): Promise<StepOutcome> {
  const { ctx } = input;
  const { step, action } = item;
  if (!action.mutating) throw new IncError(`action ${step.action} does not change anything`);
  const cluster = await ctx.cluster();
  const actionId = input.newId();
  const plan = await action.plan(ctx);
  const base = {
    actionId,
    playbook: input.playbook.metadata.name,
    step: step.id,
    action: step.action,
    context: cluster.context,
    server: cluster.server,
    ...(cluster.actingAs && { actingAs: cluster.actingAs }),
    namespace: plan.namespace,
    target: plan.target,
    summary: plan.summary,
  };
  const run: ChangeRun = { input, item, plan, actionId, base, linked: input.undoes ? { undoes: input.undoes } : {} };
  input.observer.plan(step, plan, input.dryRun);
  for (const warning of plan.warnings ?? []) input.observer.warn(warning);
  if (plan.skip) return outcome(run, 'unchanged', [], plan.skip);
  const { before, after, inverse, irreversible } = plan;
  await ctx.recorder.record('action', {
    ...base,
    phase: 'planned',
    before,
    after,
    inverse,
    irreversible,
    dryRun: input.dryRun,
  });
  if (input.dryRun) return outcome(run, 'planned', []);
  try {
    await confirmStep(input, step, plan, cluster);
  } catch (error) {
    // A "no" is part of the story of the incident: the plan was seen and not applied.
    if (error instanceof IncError && error.code === 'DECLINED') {
      await ctx.recorder.record('action', { ...base, phase: 'stopped', summary: `${plan.summary}: ${error.message}` });
    }
    throw error;
  }
  if (ctx.signal.aborted) throw new InterruptedError();
  await input.beforeApply?.(step);
  if (ctx.signal.aborted) throw new InterruptedError();
  return applyChange(run);
}

function outcome(
  run: ChangeRun,
  status: StepOutcome['status'],
  lines: string[],
  summary = run.plan.summary,
): StepOutcome {
  const { step } = run.item;
  const actionId = status === 'unchanged' ? undefined : run.actionId;
  return { id: step.id, action: step.action, status, summary, actionId, plan: run.plan, lines };
}

async function applyChange(run: ChangeRun): Promise<StepOutcome> {
  const { input, item, plan, base, linked } = run;
  const { ctx } = input;
  const action = item.action as MutatingStepAction;
  let applied: ApplyResult;
  try {
    applied = await action.apply(ctx, plan);
  } catch (error) {
    if (error instanceof ChangeMadeError) {
      // Failed, but the cluster changed: recorded as applied first, so the run and inc undo count it.
      item.applied = true;
      const { before, inverse, irreversible } = plan;
      await ctx.recorder.record('action', {
        ...base,
        phase: 'applied',
        before,
        after: error.after,
        inverse,
        irreversible,
      });
    }
    await ctx.recorder.record('action', { ...base, phase: 'failed', before: plan.before, error: messageOf(error) });
    throw error;
  }
  item.applied = true;
  item.change = { actionId: run.actionId, plan };
  const after = applied.after ?? plan.after;
  await ctx.recorder.record('action', {
    ...base,
    phase: 'applied',
    before: plan.before,
    after,
    inverse: plan.inverse,
    irreversible: plan.irreversible,
  });
  // The revert is done once applied; verification then says whether the restored state is healthy.
  if (input.undoes)
    await ctx.recorder.record('action', { ...base, ...linked, phase: 'undone', before: plan.before, after });
  ctx.info(applied.message);
  if (!action.verify) return outcome(run, 'applied', [applied.message]);
  const verified = await verifyChange(run, action.verify, action.defaultTimeout, after);
  return outcome(run, 'verified', [applied.message, verified]);
}

async function verifyChange(
  run: ChangeRun,
  verify: NonNullable<MutatingStepAction['verify']>,
  defaultTimeout: string | undefined,
  after: unknown,
): Promise<string> {
  const { input, item, plan, base, linked } = run;
  const { ctx } = input;
  const withTimeout = item.w.timeout as string | undefined;
  const timeoutMs =
    renderStepTimeout(item.step, input.params) ?? parseDuration(withTimeout || defaultTimeout || '5m', 'timeout');
  try {
    const verified = await verify(ctx, plan, timeoutMs);
    await ctx.recorder.record('action', {
      ...base,
      ...linked,
      phase: 'verified',
      after,
      summary: `${plan.summary}: ${verified}`,
    });
    return verified;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const failure = {
      ...base,
      ...linked,
      phase: 'failed',
      error: `verification: ${messageOf(error)}`,
      inverse: plan.inverse,
    };
    await ctx.recorder.record('action', failure);
    if (input.undoes && error instanceof IncError) {
      // Pods left to delete by hand (OnDelete, a stuck StatefulSet) say which step replaces them.
      const next = error instanceof OnDeleteError || error instanceof RolloutStuckError ? error.hint : undefined;
      throw new IncError(`reverted, but the restored state does not verify: ${error.message}`, {
        code: error.code,
        hint: `the previous state was restored as recorded; ${next ?? 'it was not healthy either (inc triage shows why)'}`,
      });
    }
    throw error;
  }
}

async function confirmStep(
  input: RunPlaybookInput,
  step: PlaybookStep,
  plan: ActionPlan,
  cluster: ClusterInfo,
): Promise<void> {
  const prompter = input.ctx.prompter;
  if (isProtected(cluster.context, input.protectedContexts)) {
    // The engine refused --yes without --confirm-context before the first step.
    if (input.confirmContext === cluster.context) return;
    const typed = await prompter.typeToConfirm(
      cluster.context,
      `"${cluster.context}" is a protected context. Type its name to apply "${plan.summary}":`,
    );
    if (!typed) throw declined(step, 'the context name was not typed');
    return;
  }
  if (input.yes || step.confirm === false) return;
  const question = typeof step.confirm === 'string' ? step.confirm : `Apply: ${plan.summary}?`;
  if (!(await prompter.confirm(question, false))) throw declined(step, 'not confirmed');
}

function declined(step: PlaybookStep, why: string): IncError {
  return new IncError(`stopped at step "${step.id}": ${why}; nothing was changed by this step`, { code: 'DECLINED' });
}

export async function stop(
  input: RunPlaybookInput,
  item: Prepared,
  result: RunResult,
  when: 'before' | 'during',
  /** What the step threw as it was stopped: a change it made says what it left (a locked helm release). */
  cause?: unknown,
): Promise<never> {
  // The step under way counts once applied: Ctrl-C during its verification leaves it applied.
  const applied =
    result.steps.filter((s) => s.status === 'verified' || s.status === 'applied').length + (item.applied ? 1 : 0);
  const cluster = await input.ctx.cluster().catch(() => undefined);
  await input.ctx.recorder.record('action', {
    actionId: input.newId(),
    phase: 'stopped',
    playbook: input.playbook.metadata.name,
    step: item.step.id,
    action: item.step.action,
    context: cluster?.context ?? '',
    namespace: typeof item.w.namespace === 'string' ? item.w.namespace : undefined,
    target: targetOfWith(item.w),
    summary: `stopped ${when} step "${item.step.id}" (Ctrl-C); ${applied} change(s) had been applied`,
  });
  const left = cause instanceof ChangeMadeError ? `${cause.left}; ${cause.hint ? `${cause.hint}; ` : ''}` : '';
  throw new InterruptedError(`stopped ${when} step "${item.step.id}"; ${applied} change(s) had been applied`, {
    hint: applied ? `${left}inc log shows what was applied; inc undo reverts the last change` : undefined,
  });
}

function targetOfWith(w: Record<string, unknown>): { kind: string; namespace?: string; name: string } {
  const name = (w.deployment ?? w.app ?? w.release ?? w.node ?? w.pod ?? w.url ?? '') as string;
  const kind = w.deployment
    ? String(w.kind ?? 'Deployment')
    : w.app
      ? 'Application'
      : w.release
        ? 'HelmRelease'
        : w.node
          ? 'Node'
          : w.pod
            ? 'Pod'
            : 'Step';
  return { kind, namespace: typeof w.namespace === 'string' ? w.namespace : undefined, name: String(name) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
