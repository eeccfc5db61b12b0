import { isDeepStrictEqual } from 'node:util';
import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { JSON_PATCH, type MutationPlan, pickFields, STRATEGIC_MERGE_PATCH } from './mutation.js';
import {
  equalIgnoreHash,
  listOwnedControllerRevisions,
  listOwnedReplicaSets,
  POD_TEMPLATE_HASH,
  REVISION_ANNOTATION,
  revisionOf,
} from './rollout-history.js';
import { cloneJson, describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

/** The Deployment annotations `kubectl rollout undo` keeps from the Deployment itself. */
export const ANNOTATIONS_TO_SKIP = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
] as const;

export class RolloutUndoError extends IncError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'ROLLOUT_UNDO', hint });
  }
}

export type DeploymentUndoDecision =
  | { kind: 'patch'; replicaSet: RawObject; revision: number; template: unknown; annotations: Record<string, string> }
  | { kind: 'skip'; message: string };

/**
 * kubectl's DeploymentRollbacker, on data already read: picks the ReplicaSet (second-highest
 * revision for 0), then checks in kubectl's order — revision not found / no history, paused,
 * template already matching — and builds the template and annotations the patch sets.
 */
export function decideDeploymentUndo(
  deployment: RawObject,
  owned: readonly RawObject[],
  toRevision: number,
): DeploymentUndoDecision {
  const name = deployment.metadata.name;
  if (toRevision < 0) throw new RolloutUndoError(`unable to find specified revision ${toRevision} in history`);
  let target: RawObject | undefined;
  if (toRevision === 0) {
    let latest: RawObject | undefined;
    let latestRevision = -1;
    let previous: RawObject | undefined;
    let previousRevision = -1;
    for (const rs of owned) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      if (v > latestRevision) {
        previous = latest;
        previousRevision = latestRevision;
        latest = rs;
        latestRevision = v;
      } else if (v > previousRevision) {
        previous = rs;
        previousRevision = v;
      }
    }
    target = previous;
    if (!target) throw new RolloutUndoError(`no rollout history found for deployment "${name}"`);
  } else {
    target = owned.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new RolloutUndoError(`unable to find specified revision ${toRevision} in history`);
  }
  if (deployment.spec?.paused === true) {
    throw new RolloutUndoError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  if (equalIgnoreHash(target.spec?.template, deployment.spec?.template)) {
    return { kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = cloneJson(target.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH];
  const annotations: Record<string, string> = {};
  const own = deployment.metadata.annotations ?? {};
  for (const key of ANNOTATIONS_TO_SKIP) if (key in own) annotations[key] = own[key] as string;
  for (const [key, value] of Object.entries(target.metadata.annotations ?? {})) {
    if (!(ANNOTATIONS_TO_SKIP as readonly string[]).includes(key)) annotations[key] = value;
  }
  return { kind: 'patch', replicaSet: target, revision: revisionOf(target) ?? 0, template, annotations };
}

/** kubectl's JSON patch, preceded by a resourceVersion precondition so a concurrent change is a 409. */
export function deploymentUndoPatch(
  resourceVersion: string | undefined,
  template: unknown,
  annotations: Record<string, string>,
) {
  return [
    ...(resourceVersion ? [{ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }] : []),
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}

const DEPLOYMENT_FIELDS = ['metadata.annotations', 'spec.template'];

/**
 * Plans `kubectl rollout undo` for a Deployment, StatefulSet or DaemonSet, from the workload as
 * just read (reads only its ReplicaSets or ControllerRevisions).
 */
export async function planRolloutUndo(
  kube: KubeAccess,
  ref: WorkloadRef,
  workload: RawObject,
  toRevision = 0,
): Promise<MutationPlan> {
  if (ref.kind !== 'Deployment') return planControllerRevisionUndo(kube, ref, workload, toRevision);
  const owned = await listOwnedReplicaSets(kube, workload);
  const decision = decideDeploymentUndo(workload, owned, toRevision);
  const before = pickFields(workload, DEPLOYMENT_FIELDS);
  const currentRevision = Number(workload.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const base = {
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    resourceVersion: workload.metadata.resourceVersion,
    before,
    fields: DEPLOYMENT_FIELDS,
  };
  if (decision.kind === 'skip') {
    return {
      ...base,
      summary: `${describeWorkload(ref)}: ${decision.message}`,
      skip: decision.message,
      request: { method: 'PATCH', path: workloadPath(ref) },
    };
  }
  const warnings = workload.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']
    ? [
        `${describeWorkload(ref)} was previously managed with 'kubectl apply'; rolling back does not update its last-applied-configuration annotation`,
      ]
    : [];
  return {
    ...base,
    summary: `roll back ${describeWorkload(ref)} from revision ${currentRevision} to revision ${decision.revision}`,
    warnings,
    request: {
      method: 'PATCH',
      path: workloadPath(ref),
      contentType: JSON_PATCH,
      body: deploymentUndoPatch(workload.metadata.resourceVersion, decision.template, decision.annotations),
    },
    inverse:
      currentRevision > 0
        ? {
            action: 'rollout.undo',
            with: { namespace: ref.namespace, deployment: ref.name, kind: 'deployment', toRevision: currentRevision },
            summary: `roll ${describeWorkload(ref)} forward again to revision ${currentRevision}`,
          }
        : undefined,
  };
}

async function planControllerRevisionUndo(
  kube: KubeAccess,
  ref: WorkloadRef,
  workload: RawObject,
  toRevision: number,
): Promise<MutationPlan> {
  const history = (await listOwnedControllerRevisions(kube, workload)).sort(
    (a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0),
  );
  if (toRevision === 0 && history.length <= 1) throw new RolloutUndoError('no last revision to roll back to');
  const target =
    toRevision === 0 ? history[history.length - 2] : history.find((cr) => Number(cr.revision ?? 0) === toRevision);
  if (!target) throw new RolloutUndoError(`unable to find specified revision ${toRevision} in history`);
  const fields = ['spec.template'];
  const base = {
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    resourceVersion: workload.metadata.resourceVersion,
    before: pickFields(workload, fields),
    fields,
  };
  // kubectl compares the bytes of two marshalled maps, keys sorted on both sides; the workload as read
  // comes in field order, so the comparison here ignores key order.
  const current = { spec: { template: { ...(workload.spec?.template ?? {}), $patch: 'replace' } } };
  if (isDeepStrictEqual(current, target.data)) {
    const message = `skipped rollback (current template already matches revision ${toRevision})`;
    return { ...base, summary: message, skip: message, request: { method: 'PATCH', path: workloadPath(ref) } };
  }
  const newest = history[history.length - 1];
  const data = (target.data ?? {}) as Record<string, unknown>;
  return {
    ...base,
    summary: `roll back ${describeWorkload(ref)} to revision ${Number(target.revision ?? 0)}`,
    request: {
      method: 'PATCH',
      path: workloadPath(ref),
      contentType: STRATEGIC_MERGE_PATCH,
      body: { ...data, metadata: { resourceVersion: workload.metadata.resourceVersion } },
    },
    inverse: newest
      ? {
          action: 'rollout.undo',
          with: {
            namespace: ref.namespace,
            deployment: ref.name,
            kind: ref.kind.toLowerCase(),
            toRevision: Number(newest.revision ?? 0),
          },
          summary: `roll ${describeWorkload(ref)} forward again to revision ${Number(newest.revision ?? 0)} (ControllerRevision ${newest.metadata.name})`,
        }
      : undefined,
  };
}
