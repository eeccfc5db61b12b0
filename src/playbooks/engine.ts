import { ConfirmationNeededError, IncError, InterruptedError } from '../errors.js';
import type { ActionContext, ActionDefinition, ActionTable, ClusterInfo, ExpandedStep } from './action-types.js';
import type { ActionName } from './action-with.js';
import { ACTIONS, isMutatingStep } from './actions/index.js';
import { bindAction } from './bind-action.js';
import { assertContextConfirmed, isProtected } from './protected-context.js';
import { renderStepTimeout, renderStepWith, shouldRun } from './render-with.js';
import { runMutation, stop } from './run-step.js';
import type { Prepared, RunPlaybookInput, RunResult, StepOutcome } from './run-types.js';
import type { PlaybookStep } from './schema.js';

export type { RunObserver, RunPlaybookInput, RunResult, StepOutcome, StepStatus } from './run-types.js';

/** Actions that never touch the cluster: a playbook made only of them needs no kubeconfig. */
const CLUSTER_FREE = new Set<ActionName>(['http', 'note', 'wait', 'confirm']);

/** What a run without a cluster shows and records where a context would be. */
export const NO_CLUSTER: ClusterInfo = { context: '', cluster: '', server: '', namespace: '' };

/**
 * Steps that only make sense after a real change: a dry run skips them. The `triage` step judges a
 * mitigation (signals measured since it completed, after `signals.settle`): in a dry run there is none.
 */
const DRY_RUN_SKIPS = new Set<ActionName>(['confirm', 'wait', 'note', 'rollout.status', 'triage']);

/**
 * Runs a playbook: every step's values are rendered and validated first; then, step by step,
 * plan (with a server-side dry run) → confirm → apply (resourceVersion precondition) → verify →
 * record. One change at a time; Ctrl-C between steps stops cleanly and is recorded.
 */
export async function runPlaybook(given: RunPlaybookInput): Promise<RunResult> {
  const actions: ActionTable = { ...ACTIONS, ...given.actions };
  const needsCluster = given.playbook.steps.some((step) => !CLUSTER_FREE.has(step.action));
  // A feature-flag call or a note must work on a laptop without a kubeconfig: no context is read.
  const input = needsCluster ? given : { ...given, ctx: { ...given.ctx, cluster: async () => NO_CLUSTER } };
  const { playbook, ctx } = input;
  const prepared = playbook.steps.map((step) => prepareStep(step, actions, input));
  await assertConfirmable(input, prepared, needsCluster);
  const result: RunResult = {
    playbook: playbook.metadata.name,
    dryRun: input.dryRun,
    status: input.dryRun ? 'planned' : 'completed',
    steps: [],
    ...(input.undoes ? { undoes: input.undoes } : {}),
  };
  result.incidentId = ctx.recorder.incidentId;
  // A dry run applies nothing: a later step previews its change as if the earlier planned ones were applied.
  const plannedEarlier = () => result.steps.flatMap((s) => (s.status === 'planned' && s.plan ? [s.plan] : []));
  const run: RunPlaybookInput = input.dryRun ? { ...input, ctx: { ...ctx, plannedEarlier } } : input;
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
        // A triage that Ctrl-C cut short (its signals not measured) is no verdict on the mitigation.
        if (ctx.signal.aborted && step.action === 'triage') await stop(input, item, result, 'during');
        input.observer.lines(step, lines);
        result.steps.push({ id: step.id, action: step.action, status: 'done', lines });
        continue;
      }
      if (!bannerShown) {
        // The banner names the namespace the playbook acts in, not only the context's default one.
        const target = item.w.namespace ?? input.params.namespace;
        const cluster = {
          ...(await ctx.cluster()),
          ...(typeof target === 'string' && target ? { namespace: target } : {}),
        };
        result.cluster = cluster;
        input.observer.banner(cluster, isProtected(cluster.context, input.protectedContexts), input.dryRun);
        bannerShown = true;
      }
      const expand = item.action.mutating ? item.action.expand : undefined;
      if (expand) result.steps.push(...(await runExpanded(run, item, expand)));
      else result.steps.push(await runMutation(run, item));
    } catch (error) {
      // Ctrl-C aborts the signal, or cancels an open prompt (inquirer's ExitPromptError).
      const cancelled = error instanceof Error && ['ExitPromptError', 'AbortPromptError'].includes(error.name);
      if (ctx.signal.aborted || cancelled) await stop(input, item, result, 'during', error);
      if (!(step.onStuck === 'continue' && item.applied && error instanceof IncError && error.code === 'ROLLOUT_STUCK'))
        throw withChangesApplied(error, result, item, Boolean(input.undoes) && !input.redo);
      // Applied, and recorded as a failed verification (the progress line said why): the next step offers the fix.
      result.steps.push(stuckOutcome(item, error.message));
    }
  }
  return result;
}

/** A step applied whose rollout waits on a later step: it names its change, which inc undo reverts. */
function stuckOutcome(item: Prepared, summary: string): StepOutcome {
  const { id, action } = item.step;
  return { id, action, status: 'stuck', summary, actionId: item.change?.actionId, plan: item.change?.plan, lines: [] };
}

/**
 * A step that fails after this run changed something says what stands changed: the cluster is
 * half-way through the playbook, and the error of the failing step alone does not tell.
 */
function withChangesApplied(error: unknown, result: RunResult, item: Prepared, revert?: boolean): unknown {
  if (!(error instanceof IncError) || error instanceof InterruptedError) return error;
  const changed = result.steps.filter((s) => ['applied', 'verified', 'stuck'].includes(s.status));
  const summaries = changed.map((s) => `${s.id}: ${s.summary ?? s.action}`);
  if (item.applied) summaries.push(`${item.step.id}: applied before it failed`);
  if (summaries.length === 0) return error;
  const count =
    summaries.length === 1 ? '1 change of this run stands' : `${summaries.length} changes of this run stand`;
  // A plain inc undo never picks an undo: the undo's own id is what puts the reverted change back.
  const next =
    revert && item.change
      ? `inc undo ${item.change.actionId} puts back the change it reverted`
      : 'inc undo reverts the last';
  const applied = `${count} applied (${summaries.join('; ')}): inc log shows them, ${next}`;
  return new IncError(`step "${item.step.id}" (${item.step.action}) failed: ${error.message}`, {
    code: error.code,
    exitCode: error.exitCode,
    hint: error.hint ? `${error.hint}; ${applied}` : applied,
    cause: error,
  });
}

/**
 * Refuses before the first step what cannot be confirmed. Every change counts, whatever its step's
 * `confirm` says: `confirm: false` only skips the question inside a run that was confirmed (on a
 * terminal, or with --yes). A script on a protected context also names it (--confirm-context).
 */
async function assertConfirmable(input: RunPlaybookInput, prepared: Prepared[], needsCluster: boolean): Promise<void> {
  const changes = prepared.some((p) => p.mutating || p.step.action === 'confirm');
  if (!input.dryRun && !input.yes && !input.interactive && changes) {
    throw new ConfirmationNeededError(`playbook ${input.playbook.metadata.name} (it changes something)`);
  }
  const confirmable = input.yes || input.confirmContext !== undefined;
  if (needsCluster && !input.dryRun && prepared.some((p) => p.mutating) && confirmable) {
    const { context } = await input.ctx.cluster();
    const protectedContext = isProtected(context, input.protectedContexts);
    assertContextConfirmed({ context, protectedContext, yes: input.yes, confirmContext: input.confirmContext });
  }
}

/** A step's values rendered and validated, and its action bound to them: N ties the two together. */
function prepareStep<N extends ActionName>(
  step: PlaybookStep & { action: N },
  actions: ActionTable,
  input: RunPlaybookInput,
): Prepared {
  const definition: ActionDefinition<N> = actions[step.action];
  const w = renderStepWith(step, input.params);
  renderStepTimeout(step, input.params);
  return { step, action: bindAction(definition, w), w, mutating: isMutatingStep(definition, w) };
}

/** A step that stands for several changes: each runs as its own step, one after the other. */
async function runExpanded(
  input: RunPlaybookInput,
  item: Prepared,
  expand: (ctx: ActionContext) => Promise<ExpandedStep[]>,
): Promise<StepOutcome[]> {
  const parts = await expand(input.ctx);
  if (parts.length === 0) {
    return [{ id: item.step.id, action: item.step.action, status: 'skipped', summary: 'nothing to do', lines: [] }];
  }
  const outcomes: StepOutcome[] = [];
  for (const part of parts) {
    if (input.ctx.signal.aborted) throw new InterruptedError();
    const sub: Prepared = {
      step: { ...item.step, action: part.action },
      action: part.bound,
      w: part.with,
      mutating: true,
    };
    outcomes.push(await runMutation(input, sub));
    item.applied = item.applied || sub.applied;
  }
  return outcomes;
}

async function runRead(item: Prepared, ctx: ActionContext): Promise<string[]> {
  if (item.action.mutating) {
    const plan = await item.action.plan(ctx);
    const applied = await item.action.apply(ctx, plan);
    return [applied.message];
  }
  return item.action.run(ctx);
}
