import type { KubeAccess, RawObject } from '../../kube/access.js';
import { listReleaseNames } from './helm-releases.js';
import { workloadKindOf, workloadPath, workloadPlural } from './workloads.js';

const SOURCES: Record<string, (namespace: string) => string> = {
  deployments: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`,
  statefulsets: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets`,
  daemonsets: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets`,
  pods: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
  configmaps: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps`,
  namespaces: () => '/api/v1/namespaces',
  nodes: () => '/api/v1/nodes',
  applications: () => '/apis/argoproj.io/v1alpha1/applications',
};

/** Where the choices are looked up: the namespace, and the workload (of `kind`) whose containers are offered. */
export interface ChoiceScope {
  namespace: string;
  deployment?: string;
  /** The playbook's `kind` parameter: deployment (default), statefulset or daemonset. */
  kind?: string;
}

/** A parameter's choice source, with `workloads` made the plural of the `kind` parameter. */
export function concreteSource(source: string, kind: string | undefined): string {
  return source === 'workloads' ? workloadPlural(workloadKindOf(kind)) : source;
}

/** Names to offer when asking for a parameter: the deployments of the namespace, the nodes, a deployment's containers… */
export async function listChoices(kube: KubeAccess, source: string, scope: ChoiceScope): Promise<string[]> {
  if (source === 'containers') {
    if (!scope.deployment) return [];
    const ref = { kind: workloadKindOf(scope.kind), namespace: scope.namespace, name: scope.deployment };
    const workload = await kube.get<RawObject>(workloadPath(ref));
    // Declared order, as kubectl lists them: the first is the main container by convention.
    return ((workload.spec?.template?.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
  }
  if (source === 'releases') return listReleaseNames(kube, scope.namespace);
  const path = SOURCES[concreteSource(source, scope.kind)];
  if (!path) return [];
  const { items } = await kube.list<RawObject>(path(scope.namespace), { limit: 500 });
  return items.map((item) => item.metadata.name).sort();
}
