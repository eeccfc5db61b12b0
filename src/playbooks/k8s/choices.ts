import type { KubeAccess, RawObject } from '../../kube/access.js';

const SOURCES: Record<string, (namespace: string) => string> = {
  deployments: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`,
  statefulsets: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets`,
  daemonsets: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets`,
  pods: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
  namespaces: () => '/api/v1/namespaces',
  nodes: () => '/api/v1/nodes',
  applications: () => '/apis/argoproj.io/v1alpha1/applications',
};

/** Names to offer when asking for a parameter: the deployments of the namespace, the nodes, … */
export async function listChoices(kube: KubeAccess, source: string, namespace: string): Promise<string[]> {
  const path = SOURCES[source];
  if (!path) return [];
  const { items } = await kube.list<RawObject>(path(namespace), { limit: 500 });
  return items.map((item) => item.metadata.name).sort();
}
