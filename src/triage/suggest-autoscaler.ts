import type { ClusterFlags } from '../cluster-flags.js';
import type { DraftFinding } from './checks/check.js';
import type { Autoscaler } from './k8s.js';
import type { Snapshot } from './snapshot.js';
import { suggestionCommand, workloadParams } from './suggestion-command.js';
import type { ObjectRef, Suggestion } from './types.js';

/** The HorizontalPodAutoscaler whose scaleTargetRef is this workload, as the HPA controller resolves it. */
export function autoscalerOf(snapshot: Snapshot, target: ObjectRef): Autoscaler | undefined {
  return snapshot.autoscalers.find(
    (hpa) =>
      hpa.metadata.namespace === target.namespace &&
      hpa.spec?.scaleTargetRef?.kind === target.kind &&
      hpa.spec?.scaleTargetRef?.name === target.name,
  );
}

/** At its maximum: the replicas reached maxReplicas, or the HPA says its count is capped there. */
function atMaximum(hpa: Autoscaler): boolean {
  const max = hpa.spec?.maxReplicas ?? Number.POSITIVE_INFINITY;
  const limited = hpa.status?.conditions?.some(
    (c) => c.type === 'ScalingLimited' && c.status === 'True' && c.reason === 'TooManyReplicas',
  );
  return Boolean(limited) || (hpa.status?.currentReplicas ?? 0) >= max;
}

/**
 * CPU saturation of a workload an HPA scales: a direct scale would be put back at the HPA's next
 * sync. At its maximum, the HPA's bounds are what to raise (the scale playbook does so when an HPA
 * targets the workload); below it, the HPA is already adding pods, so no scale is suggested.
 */
export function suggestForAutoscaled(
  finding: DraftFinding,
  target: ObjectRef,
  context: { snapshot: Snapshot; clusterFlags?: ClusterFlags },
): { suggestion?: Suggestion; note: string } | undefined {
  if (finding.reason !== 'HighCPU') return undefined;
  const hpa = autoscalerOf(context.snapshot, target);
  if (!hpa) return undefined;
  const name = `HorizontalPodAutoscaler ${hpa.metadata.namespace}/${hpa.metadata.name}`;
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? 0;
  const current = hpa.status?.currentReplicas ?? 0;
  if (!atMaximum(hpa)) {
    return {
      note: `${name} scales this ${target.kind.toLowerCase()} (${current} replicas, min ${min}, max ${max}) and is below its maximum: it adds pods while the CPU stays high; a manual scale would be put back at its next sync`,
    };
  }
  const replicas = Math.max(max * 2, max + 1);
  return {
    suggestion: suggestionCommand('scale', { ...workloadParams(target), replicas: String(replicas) }, context),
    note: `${name} is at its maximum (${current} of maxReplicas ${max}) and cannot add pods: the scale playbook raises the HPA's minReplicas and maxReplicas to ${replicas} (a direct scale would be put back at its next sync)`,
  };
}
