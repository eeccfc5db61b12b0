/**
 * ControllerRevisions for StatefulSets and DaemonSets: one per distinct pod template, named
 * `<owner>-<hash>`, `data` = `{"spec":{"template":{…,"$patch":"replace"}}}` exactly as kubectl's
 * rollout undo sends it back, `revision` max+1 (a template that returns re-uses its revision
 * object and moves it to the top), pruned to revisionHistoryLimit.
 */
import type { ClusterState, SimObject } from '../cluster-state.js';
import { clone, computeTemplateHash, type Dict, deepEqual, isControlledBy, ownerReference } from './util.js';

/** On a DaemonSet's revisions and pods (the hash), and on a StatefulSet's pods (the revision's name). */
export const REVISION_HASH_LABEL = 'controller-revision-hash';
/** On a StatefulSet's revisions: the history package's own label. */
const HISTORY_HASH_LABEL = 'controller.kubernetes.io/hash';

export function revisionData(template: unknown): Dict {
  return { spec: { template: { ...clone((template ?? {}) as Dict), $patch: 'replace' } } };
}

/** The revision found for an owner snapshot; stored objects are immutable, so it stays valid while both exist. */
const known = new WeakMap<SimObject, string>();

/** Returns the owner's current ControllerRevision, creating or promoting it as needed. */
export function syncControllerRevision(state: ClusterState, owner: SimObject): SimObject {
  const cachedName = known.get(owner);
  const cached = cachedName ? state.get('ControllerRevision', owner.metadata.namespace, cachedName) : undefined;
  if (cached) return cached;
  const current = findOrCreateRevision(state, owner);
  known.set(owner, current.metadata.name);
  return current;
}

function findOrCreateRevision(state: ClusterState, owner: SimObject): SimObject {
  const spec = (owner.spec ?? {}) as Dict;
  const data = revisionData(spec.template);
  const owned = state
    .list('ControllerRevision', owner.metadata.namespace)
    .filter((cr) => isControlledBy(cr, owner))
    .sort((a, b) => ((a.revision as number) ?? 0) - ((b.revision as number) ?? 0));
  const max = owned.reduce((top, cr) => Math.max(top, (cr.revision as number) ?? 0), 0);
  const match = owned.find((cr) => deepEqual(cr.data, data));
  let current: SimObject;
  if (match) {
    if ((match.revision as number) === max) current = match;
    else current = state.update({ ...clone(match), revision: max + 1 });
  } else {
    const hash = computeTemplateHash(spec.template);
    const selectorLabels = (((spec.selector ?? {}) as Dict).matchLabels ?? {}) as Record<string, string>;
    current = state.create({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${owner.metadata.name}-${hash}`,
        namespace: owner.metadata.namespace,
        labels: { ...selectorLabels, [owner.kind === 'StatefulSet' ? HISTORY_HASH_LABEL : REVISION_HASH_LABEL]: hash },
        ownerReferences: [ownerReference(owner)],
      },
      data,
      revision: max + 1,
    });
  }
  const limit = (spec.revisionHistoryLimit as number | undefined) ?? 10;
  const old = owned.filter((cr) => cr.metadata.name !== current.metadata.name);
  for (const cr of old.slice(0, Math.max(0, old.length - limit))) {
    state.delete('ControllerRevision', cr.metadata.namespace, cr.metadata.name);
  }
  return current;
}

export function revisionHash(revision: SimObject): string {
  const labels = revision.metadata.labels ?? {};
  return labels[REVISION_HASH_LABEL] ?? labels[HISTORY_HASH_LABEL] ?? revision.metadata.name.split('-').at(-1) ?? '';
}
