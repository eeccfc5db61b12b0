import type { RawObject } from '../../kube/access.js';
import type { PriorChange } from '../ports.js';
import { equalIgnoreHash, REVISION_ANNOTATION, revisionOf } from './rollout-history.js';
import { RolloutUndoError } from './rollout-undo.js';
import { describeWorkload, type WorkloadRef } from './workloads.js';

export interface RollbackTarget {
  /** 0: kubectl's default, the previous revision. */
  toRevision: number;
  warnings: string[];
}

/**
 * The revision a default rollback restores. kubectl takes the previous one; during an incident that
 * may be the very revision inc already rolled (or pinned) away from as bad, so those are skipped:
 * the revisions current when a rollback of this incident ran, and those whose images a change of
 * this incident replaced.
 */
export function chooseRollbackTarget(
  ref: WorkloadRef,
  owned: readonly RawObject[],
  prior: readonly PriorChange[],
): RollbackTarget {
  const sorted = owned.map((rs) => ({ rs, revision: revisionOf(rs) ?? 0 })).sort((a, b) => b.revision - a.revision);
  const current = sorted[0];
  const bad = new Set<number>();
  for (const change of prior) {
    if (change.target.kind !== ref.kind || change.target.namespace !== ref.namespace) continue;
    if (change.target.name !== ref.name) continue;
    const annotations = change.before?.['metadata.annotations'] as Record<string, string> | undefined;
    const revision = Number(annotations?.[REVISION_ANNOTATION]);
    if (change.action === 'rollout.undo' && Number.isInteger(revision) && revision > 0) bad.add(revision);
    // A StatefulSet's or DaemonSet's rollback records the whole template it replaced: the revision
    // holding it is the one moved away from, not every revision that ran the same images.
    const template = change.action === 'rollout.undo' ? change.before?.['spec.template'] : undefined;
    if (template !== undefined) {
      for (const { rs, revision: r } of sorted)
        if (r !== current?.revision && equalIgnoreHash(rs.spec?.template, template)) bad.add(r);
      continue;
    }
    const images = imagesBefore(change);
    if (images === undefined) continue;
    for (const { rs, revision: r } of sorted) if (r !== current?.revision && imagesOf(rs) === images) bad.add(r);
  }
  if (bad.size === 0 || !current) return { toRevision: 0, warnings: [] };
  const previous = sorted[1];
  if (previous && !bad.has(previous.revision)) return { toRevision: 0, warnings: [] };
  const listed = [...bad].sort((a, b) => a - b).join(', ');
  const good = sorted.slice(1).find(({ revision }) => !bad.has(revision));
  if (!good)
    throw new RolloutUndoError(
      `every earlier revision of ${describeWorkload(ref)} is one this incident already moved away from (revision ${listed}); a rollback would bring a bad version back`,
      'look beyond the rollout (configuration, dependencies), or pass --set toRevision=N to restore one anyway',
    );
  return {
    toRevision: good.revision,
    warnings: [
      `skipping revision ${listed}: this incident already moved away from it; restoring revision ${good.revision}`,
    ],
  };
}

/**
 * A StatefulSet's or DaemonSet's ControllerRevisions in the shape chooseRollbackTarget reads from
 * ReplicaSets: the revision number as the revision annotation, the stored template as the template.
 */
export function controllerRevisionHistory(revisions: readonly RawObject[]): RawObject[] {
  return revisions.map((cr) => ({
    apiVersion: cr.apiVersion,
    kind: cr.kind,
    metadata: { name: cr.metadata.name, annotations: { [REVISION_ANNOTATION]: String(Number(cr.revision ?? 0)) } },
    spec: { template: storedTemplate(cr) },
  }));
}

/** The template a ControllerRevision stores, without the `$patch: replace` its data carries for kubectl. */
function storedTemplate(cr: RawObject): unknown {
  const template = (cr.data as RawObject['spec'] | undefined)?.spec?.template;
  if (!template || typeof template !== 'object') return template;
  const { $patch: _replace, ...kept } = template as Record<string, unknown>;
  return kept;
}

/** "api=registry/api:2.3.1,…" of the template a recorded change replaced, or undefined. */
function imagesBefore(change: PriorChange): string | undefined {
  const before = change.before ?? {};
  const template = before['spec.template'] as RawObject['spec'] | undefined;
  const containers = (before['spec.template.spec.containers'] ?? template?.spec?.containers) as unknown;
  return Array.isArray(containers) ? signature(containers) : undefined;
}

function imagesOf(rs: RawObject): string {
  return signature((rs.spec?.template?.spec?.containers ?? []) as unknown[]);
}

function signature(containers: readonly unknown[]): string {
  return containers
    .map((c) => `${(c as { name?: string }).name}=${(c as { image?: string }).image}`)
    .sort()
    .join(',');
}
