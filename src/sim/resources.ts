/**
 * The resources the simulated API server serves: one list drives discovery, routing, list kinds and
 * error messages. EndpointSlices are read-only here: a controller derives them from the Endpoints.
 * `storageKind` names the kind objects are stored under when it differs from `kind`
 * (events.k8s.io events are a view of core/v1 events).
 */

const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const READ_ONLY = ['get', 'list'] as const;
const READ_WATCH = ['get', 'list', 'watch'] as const;

// biome-ignore format: one line per resource reads as a table
export const RESOURCES = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: READ_WRITE, subresources: ['status'] },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], verbs: READ_WRITE, subresources: ['status'] },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: READ_WRITE, subresources: ['status', 'log', 'eviction', 'proxy'] },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: READ_WRITE, subresources: [] },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], verbs: READ_WRITE, subresources: ['status', 'proxy'] },
  { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], verbs: READ_WRITE, subresources: [] },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true, shortNames: [], verbs: READ_WRITE, subresources: [] },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], verbs: READ_WRITE, subresources: [] },
  { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], verbs: READ_WRITE, subresources: [] },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], verbs: READ_WRITE, subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], verbs: READ_WRITE, subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], verbs: READ_WRITE, subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], verbs: READ_WRITE, subresources: ['status'] },
  { group: 'apps', version: 'v1', plural: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true, shortNames: [], verbs: READ_WRITE, subresources: [] },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true, shortNames: [], verbs: READ_WRITE, subresources: ['status'] },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], verbs: READ_WRITE, subresources: ['status'] },
  { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: READ_WRITE, subresources: [] },
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', kind: 'PodMetrics', namespaced: true, shortNames: [], verbs: READ_ONLY, subresources: [] },
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes', kind: 'NodeMetrics', namespaced: false, shortNames: [], verbs: READ_ONLY, subresources: [] },
  { group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, shortNames: [], verbs: ['create'], subresources: [] },
  { group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, shortNames: [], verbs: ['create'], subresources: [] },
  { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], verbs: READ_WRITE, subresources: ['status'] },
  { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], verbs: READ_WRITE, subresources: ['status'] },
  { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'], verbs: READ_WRITE, subresources: [] },
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true, shortNames: [], verbs: READ_WATCH, subresources: [] },
  { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications', kind: 'Application', namespaced: true, shortNames: ['app', 'apps'], verbs: READ_WRITE, subresources: [] },
] as const;

export type SimResource = (typeof RESOURCES)[number];
export type SimVerb = (typeof READ_WRITE)[number];

/** Groups that are built into Kubernetes; the others (CRDs, aggregated APIs) refuse strategic merge patches. */
export const BUILT_IN_GROUPS: readonly string[] = [
  '',
  'apps',
  'batch',
  'events.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'discovery.k8s.io',
];

export function groupVersionOf(resource: SimResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `pods`, `deployments.apps`: how Kubernetes names a resource in messages. */
export function qualifiedName(resource: { group: string; plural: string }): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

export function findResource(group: string, version: string, plural: string): SimResource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource a stored kind is served as first (its own group), e.g. `Event` → core/v1 events. */
export function resourceForKind(kind: string): SimResource | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

/** The kind objects of this resource are stored under. */
export function storageKind(resource: SimResource): string {
  return resource.kind;
}

/** The stored objects a request covers: the resource's kind, in its namespace unless the resource is cluster-scoped. */
export function storedScope(resource: SimResource, namespace: string | undefined): { kind: string; ns?: string } {
  return { kind: storageKind(resource), ns: resource.namespaced ? namespace : undefined };
}

export function isSubresourceOf(resource: SimResource, sub: string): boolean {
  return (resource.subresources as readonly string[]).includes(sub);
}

/** Groups in discovery order, each with its versions (one each here). */
export function listGroups(include: (resource: SimResource) => boolean): { group: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group !== '' && include(r) && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}
