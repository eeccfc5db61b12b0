import { parseDuration } from '../duration.js';
import { ConfirmationNeededError, IncError, InterruptedError } from '../errors.js';
import type { ActionContext, ActionDefinition, ActionPlan, ClusterInfo } from './action-types.js';
import type { ActionName } from './action-with.js';
import { ACTIONS, isMutatingStep } from './actions/index.js';
import type { ParamValues } from './params.js';
import { renderStepWith, renderTemplate, shouldRun } from './render-with.js';
import type { Playbook, PlaybookStep } from './schema.js';

/** Steps that only make sense after a real change: a dry run skips them. */
const DRY_RUN_SKIPS = new Set<ActionName>(['confirm', 'wait', 'note', 'rollout.status']);

export type StepStatus = 'done' | 'skipped' | 'planned' | 'unchanged' | 'verified' | 'applied';

export interface StepOutcome {
  id: string;
  action: ActionName;
  status: StepStatus;
  summary?: string;
  actionId?: string;
  plan?: ActionPlan;
  lines: string[];
}

export interface RunResult {
  playbook: string;
  cluster?: ClusterInfo;
  dryRun: boolean;
  status: 'completed' | 'planned';
  steps: StepOutcome[];
  incidentId?: string;
}

/** What the engine tells the person while it works (rendered on stderr by the CLI). */
export interface RunObserver {
  banner(cluster: ClusterInfo, protectedContext: boolean, dryRun: boolean): void;
  stepStarted(step: PlaybookStep, index: number, total: number): void;
  plan(step: PlaybookStep, plan: ActionPlan, dryRun: boolean): void;
  lines(step: PlaybookStep, lines: readonly string[]): void;
  warn(text: string): void;
}

export interface RunPlaybookInput {
  playbook: Playbook;
  params: ParamValues;
  dryRun: boolean;
  yes: boolean;
  interactive: boolean;
  /** Regular expressions naming contexts whose changes need the context name typed. */
  protectedContexts: readonly string[];
  ctx: ActionContext;
  observer: RunObserver;
  newId: () => string;
  /** For `inc undo`: the action id this run reverts. */
  undoes?: string;
  /** A test hook between the dry run and the apply (a deterministic window for a concurrent change). */
  beforeApply?: (step: PlaybookStep) => Promise<void>;
  actions?: Partial<Record<ActionName, ActionDefinition>>;
}

interface Prepared {
  step: PlaybookStep;
  definition: ActionDefinition;
  w: Record<string, unknown>;
  mutating: boolean;
}

/**
 * Runs a playbook: every step's values are rendered and validated first; then, step by step,
 * plan (with a server-side dry run) → confirm → apply (resourceVersion precondition) → verify →
 * record. One change at a time; Ctrl-C between steps stops cleanly and is recorded.
 */
export async function runPlaybook(input: RunPlaybookInput): Promise<RunResult> {
  const { playbook, ctx } = input;
  const actions = { ...ACTIONS, ...input.actions } as Record<ActionName, ActionDefinition>;
  const prepared: Prepared[] = playbook.steps.map((step) => {
    const definition = actions[step.action];
    const w = renderStepWith(step, input.params) as Record<string, unknown>;
    return { step, definition, w, mutating: isMutatingStep(definition, w) };
  });
  const needsConfirmation = prepared.some(
    (p) => (p.mutating && p.step.confirm !== false) || p.step.action === 'confirm',
  );
  if (!input.dryRun && !input.yes && !input.interactive && needsConfirmation) {
    throw new ConfirmationNeededError(`playbook ${playbook.metadata.name} (it changes the cluster)`);
  }
  const result: RunResult = {
    playbook: playbook.metadata.name,
    dryRun: input.dryRun,
    status: input.dryRun ? 'planned' : 'completed',
    steps: [],
  };
  result.incidentId = ctx.recorder.incidentId;
  let bannerShown = false;
  for (const [index, item] of prepared.entries()) {
    const { step } = item;
    if (ctx.signal.aborted) await stop(input, item, result, 'before');
    input.observer.stepStarted(step, index, prepared.length);
    if (!shouldRun(step, input.params)) {
      result.steps.push({
        id: step.id,
        action: step.action,
        status: 'skipped',
        summary: `skipped (when: ${step.when})`,
        lines: [],
      });
      continue;
    }
    try {
      if (!item.mutating) {
        if (input.dryRun && DRY_RUN_SKIPS.has(step.action)) {
          result.steps.push({
            id: step.id,
            action: step.action,
            status: 'skipped',
            summary: 'skipped in a dry run',
            lines: [],
          });
          continue;
        }
        const lines = await runRead(item, ctx);
        input.observer.lines(step, lines);
        result.steps.push({ id: step.id, action: step.action, status: 'done', lines });
        continue;
      }
      if (!bannerShown) {
        const cluster = await ctx.cluster();
        result.cluster = cluster;
        input.observer.banner(cluster, isProtected(cluster.context, input.protectedContexts), input.dryRun);
        bannerShown = true;
      }
      result.steps.push(await runMutation(input, item));
    } catch (error) {
      if (ctx.signal.aborted) await stop(input, item, result, 'during');
      throw error;
    }
  }
  return result;
}

async function runRead(item: Prepared, ctx: ActionContext): Promise<string[]> {
  if (item.definition.mutating) {
    const plan = await item.definition.plan(ctx, item.w as never);
    const applied = await item.definition.apply(ctx, plan, item.w as never);
    return [applied.message];
  }
  return item.definition.run(ctx, item.w as never);
}

function isProtected(context: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    try {
      return new RegExp(pattern).test(context);
    } catch {
      return context.includes(pattern);
    }
  });
}

async function runMutation(input: RunPlaybookInput, item: Prepared): Promise<StepOutcome> {
  const { ctx } = input;
  const { step, definition, w } = item;
  if (!definition.mutating) throw new IncError(`action ${step.action} does not change anything`);
  const cluster = await ctx.cluster();
  const actionId = input.newId();
  const plan = await definition.plan(ctx, w as never);
  const base = {
    actionId,
    playbook: input.playbook.metadata.name,
    step: step.id,
    action: step.action,
    context: cluster.context,
    namespace: plan.namespace,
    target: plan.target,
    summary: plan.summary,
    ...(input.undoes ? { undoes: input.undoes } : {}),
  };
  input.observer.plan(step, plan, input.dryRun);
  for (const warning of plan.warnings ?? []) input.observer.warn(warning);
  if (plan.skip) return { id: step.id, action: step.action, status: 'unchanged', summary: plan.skip, plan, lines: [] };
  await ctx.recorder.record('action', {
    ...base,
    phase: 'planned',
    before: plan.before,
    after: plan.after,
    inverse: plan.inverse,
    dryRun: input.dryRun,
  });
  if (input.dryRun)
    return { id: step.id, action: step.action, status: 'planned', summary: plan.summary, actionId, plan, lines: [] };
  await confirmStep(input, step, plan, cluster);
  if (ctx.signal.aborted) throw new InterruptedError();
  await input.beforeApply?.(step);
  if (ctx.signal.aborted) throw new InterruptedError();
  let applied: Awaited<ReturnType<typeof definition.apply>>;
  try {
    applied = await definition.apply(ctx, plan, w as never);
  } catch (error) {
    await ctx.recorder.record('action', { ...base, phase: 'failed', before: plan.before, error: messageOf(error) });
    throw error;
  }
  const after = applied.after ?? plan.after;
  await ctx.recorder.record('action', { ...base, phase: 'applied', before: plan.before, after, inverse: plan.inverse });
  // The revert is done once applied; verification then says whether the restored state is healthy.
  if (input.undoes) await ctx.recorder.record('action', { ...base, phase: 'undone', before: plan.before, after });
  ctx.info(applied.message);
  if (!definition.verify) {
    return {
      id: step.id,
      action: step.action,
      status: 'applied',
      summary: plan.summary,
      actionId,
      plan,
      lines: [applied.message],
    };
  }
  const stepTimeout = step.timeout === undefined ? undefined : String(renderTemplate(step.timeout, input.params) ?? '');
  const timeoutMs = parseDuration(
    stepTimeout || (w.timeout as string | undefined) || definition.defaultTimeout || '5m',
    'timeout',
  );
  try {
    const verified = await definition.verify(ctx, plan, w as never, timeoutMs);
    await ctx.recorder.record('action', { ...base, phase: 'verified', after, summary: `${plan.summary}: ${verified}` });
    return {
      id: step.id,
      action: step.action,
      status: 'verified',
      summary: plan.summary,
      actionId,
      plan,
      lines: [applied.message, verified],
    };
  } catch (error) {
    if (!ctx.signal.aborted) {
      await ctx.recorder.record('action', {
        ...base,
        phase: 'failed',
        error: `verification: ${messageOf(error)}`,
        inverse: plan.inverse,
      });
    }
    if (input.undoes && error instanceof IncError && !ctx.signal.aborted) {
      throw new IncError(`reverted, but the restored state does not verify: ${error.message}`, {
        code: error.code,
        hint: 'the previous state was restored as recorded; it was not healthy either (inc triage shows why)',
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
  if (input.yes) return;
  const prompter = input.ctx.prompter;
  if (isProtected(cluster.context, input.protectedContexts)) {
    const typed = await prompter.typeToConfirm(
      cluster.context,
      `"${cluster.context}" is a protected context. Type its name to apply "${plan.summary}":`,
    );
    if (!typed) throw declined(step, 'the context name was not typed');
    return;
  }
  if (step.confirm === false) return;
  const question = typeof step.confirm === 'string' ? step.confirm : `Apply: ${plan.summary}?`;
  if (!(await prompter.confirm(question, false))) throw declined(step, 'not confirmed');
}

function declined(step: PlaybookStep, why: string): IncError {
  return new IncError(`stopped at step "${step.id}": ${why}; nothing was changed by this step`, { code: 'DECLINED' });
}

async function stop(
  input: RunPlaybookInput,
  item: Prepared,
  result: RunResult,
  when: 'before' | 'during',
): Promise<never> {
  const applied = result.steps.filter((s) => s.status === 'verified' || s.status === 'applied').length;
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
  throw new InterruptedError(`stopped ${when} step "${item.step.id}"; ${applied} change(s) had been applied`, {
    hint: applied ? 'inc log shows what was applied; inc undo reverts the last change' : undefined,
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
