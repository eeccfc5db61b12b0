import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import { type MutationPlan, pickFields, preconditionedPatch, STRATEGIC_MERGE_PATCH } from './mutation.js';
import { REVISION_ANNOTATION } from './rollout-history.js';
import { describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Go's time.RFC3339 in local time: "2024-05-01T12:34:56+02:00", or "…Z" in UTC; no fractional seconds. */
export function formatRfc3339Local(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const base = local.toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Plans `kubectl rollout restart` on the workload as just read: the restartedAt template
 * annotation, as a strategic merge patch.
 */
export function planRestart(ref: WorkloadRef, workload: RawObject, now: Date): MutationPlan {
  if (ref.kind === 'Deployment' && workload.spec?.paused === true) {
    throw new IncError(`${describeWorkload(ref)} can't restart paused deployment (run rollout resume first)`, {
      code: 'PAUSED',
    });
  }
  const stamp = formatRfc3339Local(now);
  const fields = [`spec.template.metadata.annotations`];
  const previous = workload.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  if (previous === stamp) {
    throw new IncError(
      `failed to create patch for ${ref.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
    );
  }
  const revision = Number(workload.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  return {
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    resourceVersion: workload.metadata.resourceVersion,
    before: pickFields(workload, fields),
    fields,
    summary: `restart the pods of ${describeWorkload(ref)} (rolling)`,
    request: preconditionedPatch(
      {
        path: workloadPath(ref),
        contentType: STRATEGIC_MERGE_PATCH,
        fieldManager: 'kubectl-rollout',
        resourceVersion: workload.metadata.resourceVersion,
      },
      { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } },
    ),
    // A restart cannot be taken back; the closest inverse is the revision that was running before it.
    inverse:
      ref.kind === 'Deployment' && revision > 0
        ? {
            action: 'rollout.undo',
            with: { namespace: ref.namespace, deployment: ref.name, toRevision: revision },
            summary: `roll ${describeWorkload(ref)} back to revision ${revision} (the template before the restart)`,
          }
        : undefined,
  };
}
