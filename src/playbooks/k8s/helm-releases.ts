import type { KubeAccess, RawObject } from '../../kube/access.js';
import { METADATA_LIST_ACCEPT } from '../../kube/index.js';

/**
 * Helm 3 and 4 keep each release revision in a Secret (the default driver) or a ConfigMap, labelled
 * `owner=helm,name=RELEASE`. Only their metadata is read: the release payload is large and secret.
 */
const STORES = ['secrets', 'configmaps'] as const;

async function releaseRecords(kube: KubeAccess, scope: string, selector: string): Promise<RawObject[]> {
  const lists = await Promise.all(
    STORES.map((store) =>
      kube.list<RawObject>(`/api/v1${scope}/${store}`, { labelSelector: selector, accept: METADATA_LIST_ACCEPT }),
    ),
  );
  return lists.flatMap((list) => list.items);
}

/** The names of the Helm releases in a namespace, sorted. */
export async function listReleaseNames(kube: KubeAccess, namespace: string): Promise<string[]> {
  const records = await releaseRecords(kube, `/namespaces/${encodeURIComponent(namespace)}`, 'owner=helm');
  return [...new Set(records.map((r) => r.metadata.labels?.name).filter((n): n is string => Boolean(n)))].sort();
}

/** The namespaces holding a release of this name, sorted. */
export async function namespacesOfRelease(kube: KubeAccess, release: string): Promise<string[]> {
  const records = await releaseRecords(kube, '', `owner=helm,name=${release}`);
  return [...new Set(records.map((r) => r.metadata.namespace).filter((n): n is string => Boolean(n)))].sort();
}
