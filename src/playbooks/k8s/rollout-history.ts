import { formatColumns } from '../../incident/text-style.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { cloneJson, isControlledBy, selectorToString, type WorkloadRef } from './workloads.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

export interface RevisionEntry {
  revision: number;
  /** ReplicaSet or ControllerRevision name. */
  name: string;
  changeCause?: string;
  images: string[];
  createdAt?: string;
  current: boolean;
}

/**
 * kubectl's Revision(): a missing annotation is revision 0; an unparseable one is an error
 * (callers skip that ReplicaSet), returned here as undefined.
 */
export function revisionOf(object: RawObject): number | undefined {
  const text = object.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The ReplicaSets a Deployment owns: listed by its selector, kept if their controller ownerRef has its uid. */
export async function listOwnedReplicaSets(kube: KubeAccess, deployment: RawObject): Promise<RawObject[]> {
  const namespace = deployment.metadata.namespace ?? 'default';
  const selector = selectorToString(deployment.spec?.selector);
  const list = await kube.list<RawObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`, {
    labelSelector: selector,
  });
  return list.items.filter((rs) => isControlledBy(rs, deployment));
}

/** The ControllerRevisions a StatefulSet or DaemonSet owns, by the same rule. */
export async function listOwnedControllerRevisions(kube: KubeAccess, owner: RawObject): Promise<RawObject[]> {
  const namespace = owner.metadata.namespace ?? 'default';
  const selector = selectorToString(owner.spec?.selector);
  const list = await kube.list<RawObject>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`,
    {
      labelSelector: selector,
    },
  );
  return list.items.filter((cr) => isControlledBy(cr, owner));
}

/**
 * kubectl's equalIgnoreHash: the templates compared without the pod-template-hash label,
 * treating missing, null and empty maps or lists as equal (apiequality.Semantic.DeepEqual).
 */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (template: unknown) => {
    const copy = cloneJson(template) as { metadata?: { labels?: Record<string, string> } } | undefined;
    if (copy?.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
    return copy;
  };
  return semanticEqual(strip(a), strip(b));
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => semanticEqual(item, b[index]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (!semanticEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return a === b;
}

/** The part of a pod template the history lists: its containers' images. */
interface TemplateImages {
  spec?: { initContainers?: { image?: string }[]; containers?: { image?: string }[] };
}

function imagesOf(template: TemplateImages | undefined): string[] {
  const containers = [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])];
  return containers.map((c) => c.image ?? '').filter(Boolean);
}

/** The rollout history of a workload, ascending by revision, as `kubectl rollout history` lists it. */
export async function readRolloutHistory(kube: KubeAccess, ref: WorkloadRef): Promise<RevisionEntry[]> {
  const workload = await kube.get<RawObject>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/${ref.kind.toLowerCase()}s/${encodeURIComponent(ref.name)}`,
  );
  const byRevision = new Map<number, RevisionEntry>();
  if (ref.kind === 'Deployment') {
    for (const rs of await listOwnedReplicaSets(kube, workload)) {
      const revision = revisionOf(rs);
      if (revision === undefined) continue;
      byRevision.set(revision, {
        revision,
        name: rs.metadata.name,
        changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
        images: imagesOf(rs.spec?.template),
        createdAt: rs.metadata.creationTimestamp,
        current: equalIgnoreHash(rs.spec?.template, workload.spec?.template),
      });
    }
  } else {
    const revisions = await listOwnedControllerRevisions(kube, workload);
    const newest = Math.max(...revisions.map((cr) => Number(cr.revision ?? 0)));
    for (const cr of revisions) {
      const revision = Number(cr.revision ?? 0);
      byRevision.set(revision, {
        revision,
        name: cr.metadata.name,
        changeCause: cr.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
        images: imagesOf((cr.data as { spec?: { template?: TemplateImages } } | undefined)?.spec?.template),
        createdAt: cr.metadata.creationTimestamp,
        current: revision === newest,
      });
    }
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/** `kubectl rollout history` text: REVISION and CHANGE-CAUSE, plus the images inc knows people want. */
export function renderRolloutHistory(ref: WorkloadRef, entries: readonly RevisionEntry[]): string[] {
  if (entries.length === 0) return ['No rollout history found.'];
  const rows = entries.map((entry) => [
    String(entry.revision),
    entry.changeCause ?? '<none>',
    `${entry.images.join(', ')}${entry.current ? '  (current)' : ''}`,
  ]);
  return [
    `${ref.kind.toLowerCase()}.apps/${ref.name}`,
    ...formatColumns([['REVISION', 'CHANGE-CAUSE', 'IMAGES'], ...rows]),
  ];
}
