import { groupVersionOf, listGroups, RESOURCES, type SimResource } from '../resources.js';

/** The Kubernetes version the simulator reports (kubectl 1.31 and helm 3.17 accept it without skew warnings). */
export const SIM_KUBE_VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0-inc-sim' } as const;

export function versionDocument(): Record<string, string> {
  return {
    ...SIM_KUBE_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T00:00:00Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** Resources kubectl lists for `kubectl get all`. */
const ALL_CATEGORY = new Set([
  'pods',
  'services',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'horizontalpodautoscalers',
]);

function singular(resource: SimResource): string {
  return resource.kind.toLowerCase();
}

function subresourceEntries(resource: SimResource): Record<string, unknown>[] {
  return resource.subresources.map((sub: string) => {
    const name = `${resource.plural}/${sub}`;
    switch (sub) {
      case 'scale':
        return {
          name,
          singularName: '',
          namespaced: resource.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        };
      case 'log':
        return { name, singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] };
      case 'proxy':
        return {
          name,
          singularName: '',
          namespaced: true,
          kind: `${resource.kind}ProxyOptions`,
          verbs: ['create', 'delete', 'get', 'patch', 'update'],
        };
      case 'eviction':
        return {
          name,
          singularName: '',
          namespaced: true,
          group: 'policy',
          version: 'v1',
          kind: 'Eviction',
          verbs: ['create'],
        };
      default:
        return {
          name,
          singularName: '',
          namespaced: resource.namespaced,
          kind: resource.kind,
          verbs: ['get', 'patch', 'update'],
        };
    }
  });
}

/** `APIResourceList` of one group version, or undefined when it is not served. */
export function resourceListDocument(
  groupVersion: string,
  served: (resource: SimResource) => boolean,
): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => groupVersionOf(r) === groupVersion && served(r));
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.flatMap((r) => [
      {
        name: r.plural,
        singularName: singular(r),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: [...r.verbs],
        ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
        ...(ALL_CATEGORY.has(r.plural) && r.group !== 'metrics.k8s.io' ? { categories: ['all'] } : {}),
      },
      ...subresourceEntries(r),
    ]),
  };
}

export function coreVersionsDocument(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `APIGroupList` in the legacy form; kubectl falls back to it when it asks for aggregated discovery. */
export function groupListDocument(served: (resource: SimResource) => boolean): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: listGroups(served).map(({ group, version }) => groupDocument(group, version)),
  };
}

export function groupDocument(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}
