import { parseDuration } from '../../duration.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import type { ActionContext, ActionPlan, MutatingAction, ReadAction } from '../action-types.js';
import type { ActionName } from '../action-with.js';
import { StepRefusedError } from '../errors.js';
import { findManagingApplications } from '../k8s/argo.js';
import type { MutationPlan } from '../k8s/mutation.js';
import { planRestart } from '../k8s/restart.js';
import { chooseRollbackTarget, controllerRevisionHistory, type RollbackTarget } from '../k8s/rollback-target.js';
import {
  listOwnedControllerRevisions,
  listOwnedReplicaSets,
  readRolloutHistory,
  renderRolloutHistory,
} from '../k8s/rollout-history.js';
import { waitForRollout } from '../k8s/rollout-status.js';
import { planRolloutUndo } from '../k8s/rollout-undo.js';
import { planScaleOrAutoscaler, waitForScale } from '../k8s/scale.js';
import { planSetImage } from '../k8s/set-image.js';
import { describeWorkload, getWorkload, type WorkloadRef, workloadKindOf } from '../k8s/workloads.js';
import { plannedAutoscaler, verifyAutoscaler } from './autoscaler.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';
import { withProgress } from './with-progress.js';

function refOf(w: { namespace: string; deployment: string; kind?: string }): WorkloadRef {
  return { kind: workloadKindOf(w.kind), namespace: w.namespace, name: w.deployment };
}

/**
 * Argo CD with auto-sync puts the git version back within seconds of a manual change: a classic
 * incident trap. `refuse` stops before any change; `warn` only says so.
 */
export async function guardArgoAutoSync(
  kube: KubeAccess,
  ref: WorkloadRef,
  workload: RawObject,
  mode: 'refuse' | 'warn',
): Promise<string[]> {
  let apps: Awaited<ReturnType<typeof findManagingApplications>>;
  try {
    apps = (await findManagingApplications(kube, ref, workload)).filter((app) => app.autoSync);
  } catch (error) {
    if ((error as { status?: number }).status !== 403) throw error;
    // Without the right to list Applications the check cannot be made: say so rather than block a mitigation.
    return [
      `could not check for Argo CD Applications (forbidden to list applications.argoproj.io); if one manages ${describeWorkload(ref)} with auto-sync, it will revert this change`,
      ...helmWarnings(ref, workload),
    ];
  }
  const first = apps[0];
  if (!first) return helmWarnings(ref, workload);
  const message = `${describeWorkload(ref)} is managed by Argo CD Application ${first.namespace}/${first.name} with auto-sync on (${first.why}); Argo CD would put the git version back`;
  const fix = `inc run argo-pause-sync --set app=${first.name} --set namespace=${first.namespace}`;
  if (mode === 'refuse') throw new StepRefusedError(`${message}; nothing was changed`, `pause auto-sync first: ${fix}`);
  return [`${message}; consider: ${fix}`];
}

/** A Helm-managed workload changed directly drifts from its release: say so, and name helm-rollback. */
function helmWarnings(ref: WorkloadRef, workload: { metadata: { annotations?: Record<string, string> } }): string[] {
  const release = workload.metadata.annotations?.['meta.helm.sh/release-name'];
  if (!release) return [];
  const namespace = workload.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? ref.namespace;
  return [
    `${describeWorkload(ref)} belongs to Helm release ${namespace}/${release}; a direct change drifts from the release (the next helm upgrade overwrites it); consider: inc run helm-rollback --set release=${release} --set namespace=${namespace}`,
  ];
}

export function verifyRollout(ctx: ActionContext, ref: WorkloadRef, timeoutMs: number): Promise<string> {
  return withProgress(ctx, `waiting for the rollout of ${describeWorkload(ref)}`, async (onStatus) =>
    waitForRollout(await ctx.kube(), ref, { clock: ctx.clock, timeoutMs, signal: ctx.signal, onStatus }),
  );
}

export const rolloutHistory: ReadAction<'rollout.history'> = {
  name: 'rollout.history',
  description: 'show the rollout history (revisions, change causes, images)',
  mutating: false,
  async run(ctx, w) {
    const ref = refOf(w);
    return renderRolloutHistory(ref, await readRolloutHistory(await ctx.kube(), ref));
  },
};

export const rolloutStatus: ReadAction<'rollout.status'> = {
  name: 'rollout.status',
  description: 'wait until the rollout is complete, as kubectl rollout status (bounded by timeout)',
  mutating: false,
  async run(ctx, w) {
    await verifyRollout(ctx, refOf(w), parseDuration(w.timeout ?? '5m', 'timeout'));
    return [];
  },
};

/** How a workload change is planned once the workload is read: the request, and what to warn about. */
type PlanChange = (kube: KubeAccess, workload: RawObject) => Promise<{ mutation: MutationPlan; warnings?: string[] }>;

/**
 * The plan of every workload action: read the workload, check Argo CD's auto-sync on it (`argo`:
 * refuse, warn, or skip when the step turned the check off), plan the change, dry-run it on the server.
 */
async function planWorkloadChange(
  ctx: ActionContext,
  action: ActionName,
  ref: WorkloadRef,
  argo: 'refuse' | 'warn' | 'skip',
  planChange: PlanChange,
): Promise<ActionPlan> {
  const kube = await ctx.kube();
  const workload = await getWorkload(kube, ref);
  const argoWarnings = argo === 'skip' ? [] : await guardArgoAutoSync(kube, ref, workload, argo);
  const { mutation, warnings = [] } = await planChange(kube, workload);
  const plan = await dryRunMutation(ctx, action, mutation);
  const all = [...warnings, ...argoWarnings];
  return all.length ? { ...plan, warnings: [...(plan.warnings ?? []), ...all] } : plan;
}

/** An explicit revision as given; the default one avoids what this incident already moved away from. */
async function rollbackTarget(
  ctx: ActionContext,
  ref: WorkloadRef,
  workload: RawObject,
  toRevision: number | undefined,
): Promise<RollbackTarget> {
  if (toRevision !== undefined) return { toRevision, warnings: [] };
  const prior = ((await ctx.priorChanges?.()) ?? []).filter(
    (change) => change.target.namespace === ref.namespace && change.target.name === ref.name,
  );
  if (prior.length === 0) return { toRevision: 0, warnings: [] };
  const kube = await ctx.kube();
  const history =
    ref.kind === 'Deployment'
      ? await listOwnedReplicaSets(kube, workload)
      : controllerRevisionHistory(await listOwnedControllerRevisions(kube, workload));
  return chooseRollbackTarget(ref, history, prior);
}

export const rolloutUndo: MutatingAction<'rollout.undo'> = {
  name: 'rollout.undo',
  description: 'roll back to the previous (or a given) revision, exactly as kubectl rollout undo',
  mutating: true,
  defaultTimeout: '5m',
  plan(ctx, w) {
    const ref = refOf(w);
    return planWorkloadChange(
      ctx,
      'rollout.undo',
      ref,
      w.argoCheck === false ? 'skip' : 'refuse',
      async (kube, workload) => {
        const target = await rollbackTarget(ctx, ref, workload, w.toRevision);
        const mutation = await planRolloutUndo(kube, ref, workload, target.toRevision);
        return { mutation, warnings: target.warnings };
      },
    );
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify: (ctx, _plan, w, timeoutMs) => verifyRollout(ctx, refOf(w), timeoutMs),
};

export const rolloutRestart: MutatingAction<'rollout.restart'> = {
  name: 'rollout.restart',
  description: 'restart the pods with a rolling update (the restartedAt annotation, as kubectl rollout restart)',
  mutating: true,
  defaultTimeout: '5m',
  plan(ctx, w) {
    const ref = refOf(w);
    return planWorkloadChange(ctx, 'rollout.restart', ref, 'warn', async (_kube, workload) => ({
      mutation: planRestart(ref, workload, ctx.clock.now()),
    }));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify: (ctx, _plan, w, timeoutMs) => verifyRollout(ctx, refOf(w), timeoutMs),
};

export const scale: MutatingAction<'scale'> = {
  name: 'scale',
  description:
    'set the number of replicas through the scale subresource (with a current-replicas precondition); when a HorizontalPodAutoscaler targets the workload, change its minReplicas/maxReplicas instead',
  mutating: true,
  defaultTimeout: '5m',
  plan(ctx, w) {
    const ref = refOf(w);
    return planWorkloadChange(ctx, 'scale', ref, 'warn', async (kube) => ({
      mutation: await planScaleOrAutoscaler(kube, ref, w.replicas, w.currentReplicas),
    }));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify(ctx, plan, w, timeoutMs) {
    const ref = refOf(w);
    const hpa = plannedAutoscaler(plan);
    if (hpa) return verifyAutoscaler(ctx, hpa, timeoutMs);
    return withProgress(ctx, `waiting for ${describeWorkload(ref)} to have ${w.replicas} replicas`, async (onStatus) =>
      waitForScale(await ctx.kube(), ref, w.replicas, { clock: ctx.clock, timeoutMs, signal: ctx.signal, onStatus }),
    );
  },
};

export const setImage: MutatingAction<'set-image'> = {
  name: 'set-image',
  description: 'pin a container to an image (strategic merge patch, as kubectl set image)',
  mutating: true,
  defaultTimeout: '5m',
  plan(ctx, w) {
    const ref = refOf(w);
    return planWorkloadChange(ctx, 'set-image', ref, 'refuse', async (_kube, workload) => ({
      mutation: planSetImage(ref, workload, w.container, w.image),
    }));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
  verify: (ctx, _plan, w, timeoutMs) => verifyRollout(ctx, refOf(w), timeoutMs),
};
