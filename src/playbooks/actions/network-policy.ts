import type { RawObject } from '../../kube/access.js';
import type { MutatingAction } from '../action-types.js';
import { StepRefusedError } from '../errors.js';
import { gitFileSource } from '../k8s/git-manifest.js';
import { planPolicyDelete, planPolicyRestore, policyPath, readPolicyFromGit } from '../k8s/network-policy-revert.js';
import { readIfExists } from '../k8s/read-if-exists.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';

/**
 * Reverts a NetworkPolicy: deletes it, or puts back a version (from git, or as recorded for
 * `inc undo`). Either way the change is dry-run first and sent with a precondition, and recorded
 * with what was there before as its inverse.
 */
export const networkPolicyRevert: MutatingAction<'networkpolicy.revert'> = {
  name: 'networkpolicy.revert',
  description:
    'delete a NetworkPolicy, or restore its version from git (git show REVISION:FILE) or as recorded, with a precondition',
  mutating: true,
  async plan(ctx, w) {
    const ref = { namespace: w.namespace, name: w.policy };
    const current = await readIfExists<RawObject>(await ctx.kube(), policyPath(ref));
    if (w.version) {
      return dryRunMutation(
        ctx,
        'networkpolicy.revert',
        planPolicyRestore(ref, current, w.version, 'the recorded version'),
      );
    }
    if (w.file) {
      const source = gitFileSource({ ...w, file: w.file }, ctx.signal);
      const target = await readPolicyFromGit(ctx.runProcess, source, ref);
      return dryRunMutation(ctx, 'networkpolicy.revert', planPolicyRestore(ref, current, target, source.describe));
    }
    if (!current) throw new StepRefusedError(`networkpolicy ${ref.namespace}/${ref.name} does not exist`);
    return dryRunMutation(ctx, 'networkpolicy.revert', planPolicyDelete(ref, current));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  async verify(ctx, plan) {
    const ref = plan.target;
    const now = await readIfExists<RawObject>(
      await ctx.kube(),
      policyPath({ namespace: ref.namespace ?? '', name: ref.name }),
    );
    const deleting = plan.mutation?.request.method === 'DELETE';
    if (deleting && now) throw new StepRefusedError(`networkpolicy ${ref.namespace}/${ref.name} is still there`);
    if (!deleting && !now) throw new StepRefusedError(`networkpolicy ${ref.namespace}/${ref.name} is missing`);
    return deleting
      ? `networkpolicy ${ref.namespace}/${ref.name} is gone`
      : `networkpolicy ${ref.namespace}/${ref.name} is in place (resourceVersion ${now?.metadata.resourceVersion})`;
  },
};
