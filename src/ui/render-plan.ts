import { type ClusterFlags, clusterFlagsText } from '../cluster-flags.js';
import { describeActingAs } from '../incident/acting-as.js';
import type { ActionPlan, ClusterInfo } from '../playbooks/action-types.js';
import type { RunResult } from '../playbooks/engine.js';
import type { PlaybookStep } from '../playbooks/schema.js';
import { removesItsTarget, sameActionTarget, unrecordedPaths } from '../playbooks/undo.js';
import type { Theme } from './theme.js';

/** The banner shown before the first change: where it will happen. */
export function renderBanner(
  cluster: ClusterInfo,
  protectedContext: boolean,
  dryRun: boolean,
  theme: Theme,
  confirmedByName = false,
  playbook?: string,
): string[] {
  const mode = dryRun ? theme.accent('DRY RUN — nothing will be changed') : theme.warn('CHANGES WILL BE APPLIED');
  const mark = protectedContext
    ? theme.error(confirmedByName && !dryRun ? '  (protected; confirmed by --confirm-context)' : '  (protected)')
    : '';
  const where = cluster.context
    ? [
        `context:   ${theme.bold(cluster.context)}${mark}`,
        `cluster:   ${cluster.cluster} (${cluster.server})`,
        `namespace: ${cluster.namespace}`,
        ...(cluster.actingAs ? [`as:        ${theme.bold(describeActingAs(cluster.actingAs))}`] : []),
      ]
    : [`context:   ${theme.dim('none (this playbook does not touch a cluster)')}`];
  return [
    theme.bold('──────────────────────────────────────────────'),
    `${mode}`,
    ...where,
    ...(playbook ? [`playbook:  ${playbook}`] : []),
    theme.bold('──────────────────────────────────────────────'),
  ];
}

/** One step's plan: what, where, the diff and the dry-run outcome. */
export function renderPlan(step: PlaybookStep, plan: ActionPlan, theme: Theme): string[] {
  const target = `${plan.target.kind} ${plan.target.namespace ? `${plan.target.namespace}/` : ''}${plan.target.name}`;
  const lines = [`${theme.heading(`step ${step.id}`)} ${theme.dim(`(${plan.action})`)}: ${plan.summary}`];
  lines.push(
    `  target: ${target}${plan.resourceVersion ? theme.dim(`  (resourceVersion ${plan.resourceVersion})`) : ''}`,
  );
  if (plan.skip) {
    lines.push(`  ${theme.ok('nothing to change')}: ${plan.skip}`);
    return lines;
  }
  for (const line of plan.diff) {
    if (line.startsWith('@@')) lines.push(`  ${theme.accent(line)}`);
    else if (line.startsWith('+')) lines.push(`  ${theme.ok(line)}`);
    else if (line.startsWith('-')) lines.push(`  ${theme.error(line)}`);
    else lines.push(`  ${theme.dim(line)}`);
  }
  lines.push(`  server-side dry run: ${plan.dryRun === 'passed' ? theme.ok('passed') : theme.dim('not applicable')}`);
  // The command that reverts it is named once the change has an id in the log (the run's result).
  if (plan.inverse?.summary) lines.push(`  inverse: ${theme.dim(plan.inverse.summary)}`);
  const unrecorded = unrecordedPaths(plan.inverse);
  if (unrecorded.length)
    lines.push(
      `  ${theme.warn(`inc undo cannot put back the credentials in ${unrecorded.join(', ')} (inc never records them); keep their values before applying`)}`,
    );
  if (plan.irreversible) lines.push(`  inverse: ${theme.warn(`none, this cannot be undone: ${plan.irreversible}`)}`);
  return lines;
}

/**
 * The result of a run for stdout: each step's outcome and what to do next. `given`: the `--context`
 * and `--as` options the run was given, which the revert command then carries too (`inc undo`
 * refuses another context than the action's, and without it would use the kubeconfig's current one;
 * without the identity the change was made as, it may not be allowed to revert it).
 */
export function renderRunResult(result: RunResult, theme: Theme, given: ClusterFlags = {}): string[] {
  const lines = [
    result.dryRun
      ? `${theme.bold(`playbook ${result.playbook}`)}: planned (dry run, nothing was changed)`
      : `${theme.bold(`playbook ${result.playbook}`)}: completed`,
  ];
  for (const step of result.steps) {
    const mark =
      step.status === 'stuck'
        ? theme.warn('!')
        : step.status === 'skipped' || step.status === 'unchanged'
          ? theme.dim('–')
          : theme.ok('✓');
    const id = step.actionId ? theme.dim(`  [${step.actionId}]`) : '';
    lines.push(`${mark} ${step.id} (${step.action}): ${step.status}${step.summary ? ` — ${step.summary}` : ''}${id}`);
  }
  lines.push(...revertHint(result, theme, given));
  for (const step of result.steps) {
    if ((step.status === 'verified' || step.status === 'applied') && step.plan?.irreversible)
      lines.push(`not undoable: ${step.id} (${step.plan.irreversible})`);
    const unrecorded =
      step.status === 'verified' || step.status === 'applied' ? unrecordedPaths(step.plan?.inverse) : [];
    if (unrecorded.length)
      lines.push(
        `not undoable: ${step.id} (the values it replaced in ${unrecorded.join(', ')} are credentials inc never records)`,
      );
  }
  if (result.dryRun && result.steps.some((s) => s.status === 'planned')) {
    lines.push(`to apply: rerun without ${theme.cmd('--dry-run')}`);
  }
  return lines;
}

/**
 * What reverts the run, naming the exact action: `inc undo ID` reverts the last change; after an
 * undo the same command redoes. Nothing when nothing was recorded (no incident: inc undo cannot see it).
 */
function revertHint(result: RunResult, theme: Theme, given: ClusterFlags): string[] {
  if (!result.incidentId) return [];
  // A stuck step is applied too: its rollout waits on a later step, and reverting it is the same.
  const applied = result.steps.filter((s) => s.status === 'verified' || s.status === 'applied' || s.status === 'stuck');
  // A change to an object a later step removed for good (a Node cordoned, then deleted) has nothing
  // left to revert: inc undo skips it too.
  const removedLater = (index: number) =>
    applied.slice(index + 1).some((later) => {
      const [removed, changed] = [later.plan?.target, applied[index]?.plan?.target];
      return Boolean(
        later.plan?.irreversible &&
          removesItsTarget(later.action) &&
          removed &&
          changed &&
          sameActionTarget(removed, changed),
      );
    });
  // A change whose inverse held credentials cannot be undone from the log: inc undo refuses it.
  const last = applied
    .filter(
      (s, index) =>
        s.plan?.inverse && s.actionId && !removedLater(index) && unrecordedPaths(s.plan.inverse).length === 0,
    )
    .at(-1);
  if (!last?.actionId) return [];
  const command = theme.cmd(`inc undo ${last.actionId}${clusterFlagsText(given)}`);
  if (result.undoes && !result.redo) return [`to redo (revert this undo): ${command}`];
  const summary = last.plan?.inverse?.summary;
  return [`to revert: ${command}${summary ? theme.dim(` (${summary})`) : ''}`];
}
