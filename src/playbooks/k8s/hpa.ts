import { type Clock, pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { MERGE_PATCH, type MutationPlan } from './mutation.js';
import { describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

/** The HorizontalPodAutoscaler fields scale and undo work with. */
export interface Autoscaler {
  namespace: string;
  name: string;
  minReplicas: number;
  maxReplicas: number;
  resourceVersion?: string;
}

export function hpaPath(namespace: string, name?: string): string {
  const base = `/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

export function describeHpa(hpa: { namespace: string; name: string }): string {
  return `HorizontalPodAutoscaler ${hpa.namespace}/${hpa.name}`;
}

export function autoscalerOf(object: RawObject): Autoscaler {
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    // The API server defaults minReplicas to 1.
    minReplicas: Number(object.spec?.minReplicas ?? 1),
    maxReplicas: Number(object.spec?.maxReplicas ?? 0),
    resourceVersion: object.metadata.resourceVersion,
  };
}

export type AutoscalerLookup = { found: Autoscaler } | { found: undefined; warning?: string };

/**
 * The HPA whose scaleTargetRef is this workload, as the HPA controller resolves it (kind and name in
 * the same namespace). A cluster without autoscaling/v2 has none; one that forbids listing them
 * cannot be checked, which is said rather than blocking the mitigation.
 */
export async function findAutoscaler(kube: KubeAccess, ref: WorkloadRef): Promise<AutoscalerLookup> {
  let items: RawObject[];
  try {
    items = (await kube.list<RawObject>(hpaPath(ref.namespace))).items;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) return { found: undefined };
    if (status !== 403) throw error;
    return {
      found: undefined,
      warning: `could not check for a HorizontalPodAutoscaler (forbidden to list horizontalpodautoscalers.autoscaling in ${ref.namespace}); if one targets ${describeWorkload(ref)}, it will undo this scale`,
    };
  }
  const match = items.find((hpa) => {
    const target = hpa.spec?.scaleTargetRef ?? {};
    return target.kind === ref.kind && target.name === ref.name;
  });
  return { found: match ? autoscalerOf(match) : undefined };
}

export interface BoundsChange {
  minReplicas?: number;
  maxReplicas?: number;
  /** Preconditions: refuse when the HPA's bounds are no longer these (someone changed them since). */
  currentMinReplicas?: number;
  currentMaxReplicas?: number;
}

function checkPreconditions(hpa: Autoscaler, change: BoundsChange): void {
  const drift: string[] = [];
  if (change.currentMinReplicas !== undefined && change.currentMinReplicas !== hpa.minReplicas)
    drift.push(`minReplicas to be ${change.currentMinReplicas}, was ${hpa.minReplicas}`);
  if (change.currentMaxReplicas !== undefined && change.currentMaxReplicas !== hpa.maxReplicas)
    drift.push(`maxReplicas to be ${change.currentMaxReplicas}, was ${hpa.maxReplicas}`);
  if (drift.length === 0) return;
  throw new IncError(`Expected ${drift.join(' and ')}`, {
    code: 'PRECONDITION',
    hint: `${describeHpa(hpa)} was changed since; check who changed it, then rerun`,
  });
}

/**
 * Plans setting an HPA's minReplicas and/or maxReplicas: a merge patch carrying the read
 * resourceVersion, recorded with the inverse that puts the old bounds back.
 */
export function planAutoscalerBounds(hpa: Autoscaler, change: BoundsChange, why?: string): MutationPlan {
  checkPreconditions(hpa, change);
  const min = change.minReplicas ?? hpa.minReplicas;
  const max = change.maxReplicas ?? hpa.maxReplicas;
  if (max < min) {
    throw new IncError(`maxReplicas ${max} would be below minReplicas ${min}`, {
      code: 'INVALID_PARAMS',
      hint: 'set both so that minReplicas ≤ maxReplicas',
    });
  }
  const fields = ['spec.minReplicas', 'spec.maxReplicas'];
  const changes = [
    min !== hpa.minReplicas ? `minReplicas ${hpa.minReplicas} → ${min}` : '',
    max !== hpa.maxReplicas ? `maxReplicas ${hpa.maxReplicas} → ${max}` : '',
  ].filter(Boolean);
  const base = {
    target: { kind: 'HorizontalPodAutoscaler', namespace: hpa.namespace, name: hpa.name },
    resourceVersion: hpa.resourceVersion,
    before: { 'spec.minReplicas': hpa.minReplicas, 'spec.maxReplicas': hpa.maxReplicas },
    fields,
    request: {
      method: 'PATCH' as const,
      path: hpaPath(hpa.namespace, hpa.name),
      contentType: MERGE_PATCH,
      body: { metadata: { resourceVersion: hpa.resourceVersion }, spec: { minReplicas: min, maxReplicas: max } },
    },
  };
  if (changes.length === 0) {
    const message = `${describeHpa(hpa)} already has minReplicas ${min}, maxReplicas ${max}`;
    return { ...base, summary: message, skip: message };
  }
  return {
    ...base,
    summary: `set ${describeHpa(hpa)} ${changes.join(', ')}${why ? ` (${why})` : ''}`,
    inverse: {
      action: 'hpa.bounds',
      with: {
        namespace: hpa.namespace,
        hpa: hpa.name,
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        currentMinReplicas: min,
        currentMaxReplicas: max,
      },
      summary: `restore ${describeHpa(hpa)} to minReplicas ${hpa.minReplicas}, maxReplicas ${hpa.maxReplicas}`,
    },
  };
}

/**
 * The bounds that make the HPA keep `replicas`: more than now raises minReplicas (and maxReplicas
 * when it is lower); fewer lowers maxReplicas (and minReplicas when it is higher).
 */
export function boundsForReplicas(hpa: Autoscaler, current: number, replicas: number): BoundsChange {
  if (replicas >= current) {
    return { minReplicas: Math.max(hpa.minReplicas, replicas), maxReplicas: Math.max(hpa.maxReplicas, replicas) };
  }
  return { minReplicas: Math.min(hpa.minReplicas, replicas), maxReplicas: replicas };
}

export interface WaitBoundsOptions {
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  onStatus: (message: string) => void;
}

/**
 * Waits until the HPA has moved its target inside the new bounds and the target's pods are all
 * available: what the responder asked for, done by the controller that owns the replica count.
 */
export async function waitForAutoscaler(
  kube: KubeAccess,
  hpa: { namespace: string; name: string },
  options: WaitBoundsOptions,
): Promise<string> {
  let last = '';
  const done = await pollUntil(options.clock, options.signal, options.timeoutMs, async () => {
    const object = await kube.get<RawObject>(hpaPath(hpa.namespace, hpa.name));
    const { minReplicas: min, maxReplicas: max } = autoscalerOf(object);
    const target = object.spec?.scaleTargetRef ?? {};
    if (target.kind !== 'Deployment' && target.kind !== 'StatefulSet')
      return `${describeHpa(hpa)} has minReplicas ${min}, maxReplicas ${max}`;
    const ref: WorkloadRef = { kind: target.kind, namespace: hpa.namespace, name: target.name };
    const workload = await kube.get<RawObject>(workloadPath(ref));
    const wanted = Number(workload.spec?.replicas ?? 0);
    const available = Number(workload.status?.availableReplicas ?? workload.status?.readyReplicas ?? 0);
    last = `${describeWorkload(ref)}: ${wanted} replicas wanted (bounds ${min}-${max}), ${available} available`;
    options.onStatus(last);
    if (wanted < min || wanted > max) return undefined;
    return available >= wanted
      ? `${describeHpa(hpa)} keeps ${describeWorkload(ref)} at ${wanted} replicas (min ${min}, max ${max}), all available`
      : undefined;
  });
  if (done === undefined) throw new IncError(`timed out waiting for ${describeHpa(hpa)} to apply its bounds (${last})`);
  return done;
}
