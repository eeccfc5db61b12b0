import { type Clock, pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import type { KubeAccess } from '../../kube/access.js';
import { type Autoscaler, boundsForReplicas, describeHpa, findAutoscaler, planAutoscalerBounds } from './hpa.js';
import type { MutationPlan } from './mutation.js';
import { describeStuckScale, findStuckRollout } from './stuck-rollout.js';
import { describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

/** The scale subresource, checked against the `--current-replicas` precondition. */
async function readScale(
  kube: KubeAccess,
  ref: WorkloadRef,
  currentReplicas: number | undefined,
): Promise<{ scale: Scale; current: number }> {
  const scale = await kube.get<Scale>(workloadPath(ref, 'scale'));
  const current = scale.spec?.replicas ?? 0;
  if (currentReplicas !== undefined && currentReplicas !== current) {
    throw new IncError(`Expected replicas to be ${currentReplicas}, was ${current}`, {
      code: 'PRECONDITION',
      hint: `${describeWorkload(ref)} has ${current} replicas now; check who changed it, then rerun`,
    });
  }
  return { scale, current };
}

/**
 * Plans a scale of a workload. A HorizontalPodAutoscaler that targets it would put a direct change
 * back at its next sync, so then its bounds change instead (more replicas raise minReplicas, fewer
 * lower maxReplicas), recorded with the inverse that restores them. Scaling to or from 0 stays
 * direct: the HPA stops acting on a target at zero (ScalingDisabled) until it is scaled up again.
 */
export async function planScaleOrAutoscaler(
  kube: KubeAccess,
  ref: WorkloadRef,
  replicas: number,
  currentReplicas?: number,
): Promise<MutationPlan> {
  const lookup = ref.kind === 'DaemonSet' ? { found: undefined } : await findAutoscaler(kube, ref);
  const hpa = lookup.found;
  const { current } = await readScale(kube, ref, currentReplicas);
  if (!hpa || replicas === 0 || current === 0) {
    const plan = await planScale(kube, ref, replicas, currentReplicas);
    const warning = 'warning' in lookup ? lookup.warning : hpa && directScaleWarning(hpa, ref, replicas);
    return warning ? { ...plan, warnings: [...(plan.warnings ?? []), warning] } : plan;
  }
  const plan = planAutoscalerBounds(hpa, boundsForReplicas(hpa, current, replicas), `so it keeps ${replicas} replicas`);
  const why = `${describeWorkload(ref)} is scaled by ${describeHpa(hpa)} (minReplicas ${hpa.minReplicas}, maxReplicas ${hpa.maxReplicas}, ${current} replicas now): setting its replicas directly would be undone at the HPA's next sync, so the HPA's bounds change instead`;
  return { ...plan, warnings: [...(plan.warnings ?? []), why] };
}

/**
 * Why an HPA-managed workload is scaled directly: to 0 the HPA stops acting on it (ScalingDisabled),
 * and from 0 it does nothing until the workload has replicas again, so only a direct scale brings
 * it back; from then on the HPA keeps it within its bounds.
 */
function directScaleWarning(hpa: Autoscaler, ref: WorkloadRef, replicas: number): string {
  if (replicas === 0)
    return `${describeHpa(hpa)} targets ${describeWorkload(ref)}: at 0 replicas it stops autoscaling (ScalingDisabled) until the workload is scaled up again`;
  const outside = replicas < hpa.minReplicas || replicas > hpa.maxReplicas;
  return `${describeHpa(hpa)} targets ${describeWorkload(ref)} but does not act on it at 0 replicas (ScalingDisabled): it is scaled directly, and the HPA takes over again once it has pods${
    outside
      ? `; ${replicas} is outside its bounds (minReplicas ${hpa.minReplicas}, maxReplicas ${hpa.maxReplicas}), so the HPA will move it back inside them`
      : ''
  }`;
}

/**
 * Plans `kubectl scale --current-replicas`: reads the scale subresource, checks the precondition,
 * and prepares a PUT of the same Scale (carrying its resourceVersion, so a concurrent change is a 409).
 */
export async function planScale(
  kube: KubeAccess,
  ref: WorkloadRef,
  replicas: number,
  currentReplicas?: number,
): Promise<MutationPlan> {
  const { scale, current } = await readScale(kube, ref, currentReplicas);
  const fields = ['spec.replicas'];
  const base = {
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    resourceVersion: scale.metadata.resourceVersion,
    before: { 'spec.replicas': current },
    fields,
  };
  const body = { ...scale, spec: { ...scale.spec, replicas } };
  const request = { method: 'PUT' as const, path: workloadPath(ref, 'scale'), body };
  if (current === replicas) {
    const message = `${describeWorkload(ref)} already has ${replicas} replicas`;
    return { ...base, summary: message, skip: message, request };
  }
  return {
    ...base,
    summary: `scale ${describeWorkload(ref)} from ${current} to ${replicas} replicas`,
    request,
    inverse: {
      action: 'scale',
      with: {
        namespace: ref.namespace,
        deployment: ref.name,
        kind: ref.kind.toLowerCase(),
        replicas: current,
        currentReplicas: replicas,
      },
      summary: `scale ${describeWorkload(ref)} back to ${current} replicas`,
    },
  };
}

export interface WaitScaleOptions {
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  onStatus: (message: string) => void;
}

/** kubectl scale --timeout: waits until spec.replicas == status.replicas == desired. */
export async function waitForScale(
  kube: KubeAccess,
  ref: WorkloadRef,
  replicas: number,
  options: WaitScaleOptions,
): Promise<string> {
  let last = '';
  const report = (message: string) => {
    if (message !== last) options.onStatus(message);
    last = message;
  };
  const done = await pollUntil(options.clock, options.signal, options.timeoutMs, async () => {
    const scale = await kube.get<Scale>(workloadPath(ref, 'scale'));
    report(`${scale.status?.replicas ?? 0} of ${replicas} replicas`);
    if (scale.spec?.replicas !== replicas)
      throw new IncError(`${describeWorkload(ref)} was scaled to ${scale.spec?.replicas} by someone else meanwhile`);
    if ((scale.status?.replicas ?? 0) !== replicas) {
      // A stuck rollout keeps its surge pod whatever the replicas: say so at once rather than time out.
      const stuck = await findStuckRollout(kube, ref);
      return stuck ? describeStuckScale(ref, replicas, stuck) : undefined;
    }
    // kubectl scale stops here; a responder scaling out for load needs the new pods serving too.
    const workload = await kube.get<{ status?: { availableReplicas?: number; readyReplicas?: number } }>(
      workloadPath(ref),
    );
    const serving = workload.status?.availableReplicas ?? workload.status?.readyReplicas ?? 0;
    if (serving >= replicas) return `${describeWorkload(ref)} has ${replicas} replicas, all available`;
    const stuck = await findStuckRollout(kube, ref);
    if (stuck) return describeStuckScale(ref, replicas, stuck);
    report(`${serving} of ${replicas} replicas available`);
    return undefined;
  });
  if (done === undefined) throw new IncError(`timed out waiting for "${ref.name}" to be synced (${last})`);
  return done;
}
