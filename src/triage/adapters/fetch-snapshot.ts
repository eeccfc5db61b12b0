import {
  ClusterUnreachableError,
  KubeApiError,
  type KubeClient,
  KubeForbiddenError,
  KubeTimeoutError,
  type ListOptions,
  METADATA_LIST_ACCEPT,
  resourcePath,
} from '../../kube/index.js';
import { createInterner } from '../interner.js';
import type { ContainerLog, KEvent, Pod } from '../k8s.js';
import { type CensusEntry, PodCensus } from '../pod-census.js';
import { emptySnapshot, RESOURCE_KEYS, type ResourceFailure, type ResourceKey, type Snapshot } from '../snapshot.js';

interface ResourceSpec {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
  /** Listed across all namespaces even with -n (Argo CD applications live in their own namespace). */
  allNamespaces?: boolean;
  /** An aggregated or custom API that may not be served: 404/503 means "not installed". */
  optional?: boolean;
  /** Listed as metadata only: the data of ConfigMaps and Secrets never reaches inc. */
  metadataOnly?: boolean;
}

const SPECS: Record<ResourceKey, ResourceSpec> = {
  pods: { group: '', version: 'v1', resource: 'pods', namespaced: true },
  events: { group: '', version: 'v1', resource: 'events', namespaced: true },
  nodes: { group: '', version: 'v1', resource: 'nodes', namespaced: false },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  controllerRevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', namespaced: true },
  endpoints: { group: '', version: 'v1', resource: 'endpoints', namespaced: true },
  podMetrics: { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespaced: true, optional: true },
  nodeMetrics: { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'nodes', namespaced: false, optional: true },
  networkPolicies: {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    namespaced: true,
    optional: true,
  },
  applications: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    resource: 'applications',
    namespaced: true,
    allNamespaces: true,
    optional: true,
  },
  autoscalers: {
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    namespaced: true,
    optional: true,
  },
  configMaps: { group: '', version: 'v1', resource: 'configmaps', namespaced: true, metadataOnly: true },
  secrets: { group: '', version: 'v1', resource: 'secrets', namespaced: true, metadataOnly: true },
};

export interface FetchSnapshotOptions {
  /** undefined: all namespaces. */
  namespace: string | undefined;
  resources: readonly ResourceKey[];
  /** Fetch previous-container logs of crash-looping pods (needs pods). */
  logs: boolean;
  /**
   * Fold plainly healthy pods into per-shape groups, and keep only the events triage reads, as each page
   * arrives (default true); false holds every list whole first, the reference the folded form is held to.
   */
  foldHealthyPods?: boolean;
  /** Called as each resource arrives or fails; drives the progress display. */
  onResource?: (key: ResourceKey | 'logs', failure: ResourceFailure | undefined) => void;
}

export const LOG_LIMITS = { pods: 12, perWorkload: 3, tailLines: 40, limitBytes: 4096 } as const;

/** Lists every asked-for resource in parallel; a failing list is recorded, never thrown. */
export async function fetchSnapshot(kube: KubeClient, options: FetchSnapshotOptions): Promise<Snapshot> {
  const snapshot: Snapshot = {
    ...emptySnapshot('', options.namespace),
    context: kube.contextName,
    server: kube.server,
    fetched: [],
  };
  const wanted = RESOURCE_KEYS.filter((key) => options.resources.includes(key));
  const fetchOne = async (key: ResourceKey) => {
    const spec = SPECS[key];
    const namespace = spec.namespaced && !spec.allNamespaces ? options.namespace : undefined;
    const path = resourcePath({ group: spec.group, version: spec.version, resource: spec.resource, namespace });
    try {
      const sink = pageSink(key, options.foldHealthyPods !== false);
      const list = await kube.list(path, {
        transform:
          key === 'podMetrics'
            ? slimPodMetrics()
            : (item) => (spec.metadataOnly ? configMetadata(item) : slim(key, item)),
        ...(spec.metadataOnly ? { accept: METADATA_LIST_ACCEPT } : {}),
        ...sink?.options,
      });
      // The items are the API's JSON, slimmed: the snapshot's types describe the fields kept.
      if (sink) sink.store(snapshot);
      else {
        const items = list.items as Snapshot[typeof key];
        (snapshot[key] as unknown[]) = key === 'events' ? (items as KEvent[]).filter(keepEvent) : items;
      }
      options.onResource?.(key, undefined);
    } catch (error) {
      const failure = classifyFailure(error, spec);
      snapshot.failures[key] = failure;
      options.onResource?.(key, failure);
    }
  };
  const podsDone = wanted.includes('pods') ? fetchOne('pods') : Promise.resolve();
  const rest = wanted.filter((key) => key !== 'pods').map(fetchOne);
  snapshot.fetched.push(...wanted);
  const logsDone = options.logs
    ? podsDone.then(async () => {
        snapshot.fetched.push('logs');
        if (snapshot.failures.pods) {
          const failure: ResourceFailure = { kind: 'error', message: 'pods could not be listed' };
          snapshot.failures.logs = failure;
          options.onResource?.('logs', failure);
          return;
        }
        snapshot.logs = await fetchCrashLogs(kube, snapshot.pods);
        options.onResource?.('logs', undefined);
      })
    : podsDone;
  await Promise.all([logsDone, ...rest]);
  snapshot.now = kube.serverNow().toISOString();
  return snapshot;
}

/** Where a list's pages go as they arrive, instead of the list being held whole. */
interface PageSink {
  options: Pick<ListOptions, 'transform' | 'onPage' | 'onRestart'>;
  store(snapshot: Snapshot): void;
}

/**
 * Pods are folded as they are decoded (a healthy one shrinks at once to its identity in its shape's
 * group), committed page by page; events, tens of thousands in a large cluster, are sifted as they are
 * decoded too. Without folding every list is held whole.
 */
function pageSink(key: ResourceKey, folding: boolean): PageSink | undefined {
  if (!folding) return undefined;
  if (key === 'pods') {
    const census = new PodCensus();
    return {
      options: {
        transform: (item) => census.prepare(slimPod(item as Json) as unknown as Pod),
        onPage: (entries) => census.commit(entries as CensusEntry[]),
        onRestart: () => census.clear(),
      },
      store: (snapshot) => {
        snapshot.pods = census.kept;
        snapshot.healthyPods = census.healthy();
      },
    };
  }
  if (key !== 'events') return undefined;
  const events: KEvent[] = [];
  return {
    options: {
      // An event triage does not read is dropped as soon as it is decoded, not held until its page ends.
      transform: (item) => (keepEvent(item as KEvent) ? slim(key, item) : undefined),
      onPage: (items) => {
        for (const event of items as (KEvent | undefined)[]) if (event) events.push(event);
      },
      onRestart: () => {
        events.length = 0;
      },
    },
    store: (snapshot) => {
      snapshot.events = events;
    },
  };
}

function classifyFailure(error: unknown, spec: ResourceSpec): ResourceFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof KubeForbiddenError) return { kind: 'forbidden', message };
  if (error instanceof KubeTimeoutError) return { kind: 'timeout', message };
  if (error instanceof ClusterUnreachableError) return { kind: 'unreachable', message };
  // A list of a served resource never answers 404 (an unknown namespace lists empty): 404 means the
  // API is not served. An aggregated API that is down answers 503.
  if (error instanceof KubeApiError && (error.status === 404 || (spec.optional && error.status === 503))) {
    const what =
      spec.group === 'metrics.k8s.io'
        ? 'metrics API not available'
        : `${spec.resource}.${spec.group} is not served by this cluster`;
    return { kind: 'absent', message: `${what} (${error.status}${error.reason ? ` ${error.reason}` : ''})` };
  }
  return { kind: 'error', message };
}

/** Reasons of Normal events worth keeping: they date changes (scale-ups, rollouts). */
const KEPT_NORMAL_REASONS = new Set(['ScalingReplicaSet', 'SuccessfulRescale']);

function keepEvent(event: KEvent): boolean {
  return event.type === 'Warning' || KEPT_NORMAL_REASONS.has(event.reason ?? '');
}

type Json = Record<string, unknown>;

/**
 * Keeps large lists small and the evidence free of secrets: drops managedFields (after noting the
 * last change time), the last-applied annotation and every env value.
 */
function slim(key: ResourceKey, raw: unknown): unknown {
  const item = raw as Json;
  if (key === 'pods') return slimPod(item);
  const metadata = item.metadata as Json | undefined;
  if (metadata) {
    const managed = metadata.managedFields as { time?: string }[] | undefined;
    if ((key === 'networkPolicies' || key === 'statefulsets' || key === 'daemonsets') && managed) {
      // Only the newest change of the spec is kept: it dates a rollback to an older revision.
      // Status writes (the controllers') say nothing about what people changed.
      const times = managed
        .filter((entry) => (entry as { subresource?: string }).subresource !== 'status')
        .map((entry) => entry.time ?? '')
        .filter(Boolean)
        .sort();
      metadata.managedFields = times.length > 0 ? [{ time: times[times.length - 1] }] : undefined;
    } else if (managed) {
      // Assigning (not deleting) keeps the object's shape fast; JSON leaves undefined out.
      metadata.managedFields = undefined;
    }
    const annotations = metadata.annotations as Json | undefined;
    if (annotations?.['kubectl.kubernetes.io/last-applied-configuration'])
      annotations['kubectl.kubernetes.io/last-applied-configuration'] = undefined;
  }
  const spec = (key === 'controllerRevisions' ? (item.data as Json | undefined)?.spec : item.spec) as Json | undefined;
  if (spec?.template) stripEnv((spec.template as Json).spec as Json | undefined);
  return item;
}

/**
 * A ConfigMap or Secret as triage keeps it: name, labels and its newest managedFields entry (who changed
 * it, when). Annotations go: kubectl's last-applied one holds the data. A server that ignores the
 * metadata-only Accept sends whole objects; they are cut down the same way.
 */
function configMetadata(raw: unknown): unknown {
  const item = raw as { kind?: string; metadata?: Json };
  const metadata = item.metadata ?? {};
  const managed = ((metadata.managedFields as { manager?: string; operation?: string; time?: string }[]) ?? [])
    .filter((entry) => entry.time)
    .sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : 0));
  const newest = managed[managed.length - 1];
  return {
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      creationTimestamp: metadata.creationTimestamp,
      labels: metadata.labels,
      managedFields: newest ? [{ manager: newest.manager, operation: newest.operation, time: newest.time }] : undefined,
    },
  };
}

/**
 * A pod reduced to what the checks read (metadata, containers, node, status): the bulk of a large
 * snapshot, so a fresh small object per pod keeps memory and garbage collection down.
 */
function slimPod(pod: Json): Json {
  const metadata = (pod.metadata ?? {}) as Json;
  const spec = (pod.spec ?? {}) as Json;
  const container = (c: Json) => ({ name: c.name, image: c.image, resources: c.resources, env: c.env, ports: c.ports });
  const slimSpec: Json = {
    nodeName: spec.nodeName,
    restartPolicy: spec.restartPolicy,
    containers: ((spec.containers as Json[] | undefined) ?? []).map(container),
    initContainers: (spec.initContainers as Json[] | undefined)?.map(container),
  };
  stripEnv(slimSpec);
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      creationTimestamp: metadata.creationTimestamp,
      deletionTimestamp: metadata.deletionTimestamp,
      deletionGracePeriodSeconds: metadata.deletionGracePeriodSeconds,
      labels: metadata.labels,
      annotations: scrapeAnnotations(metadata.annotations as Json | undefined),
      ownerReferences: metadata.ownerReferences,
    },
    spec: slimSpec,
    status: pod.status,
  };
}

/**
 * A pod's usage as the top check reads it: which pod, when, and each container's figures. There is one
 * per running pod, so the labels and owners the metrics API copies from the pod are left out.
 */
function slimPodMetrics(): (item: unknown) => Json {
  // Namespaces, times, container names and most figures repeat across thousands of pods: one string each.
  const intern = createInterner();
  return (raw) => {
    const item = raw as Json;
    const metadata = (item.metadata ?? {}) as Json;
    return {
      metadata: { name: metadata.name, namespace: intern(metadata.namespace) },
      timestamp: intern(item.timestamp),
      window: intern(item.window),
      containers: ((item.containers as Json[] | undefined) ?? []).map((c) => ({
        name: intern(c.name),
        usage: c.usage && Object.fromEntries(Object.entries(c.usage as Json).map(([k, v]) => [k, intern(v)])),
      })),
    };
  };
}

/** Only the `prometheus.io/*` annotations: the signals check scrapes the pods that carry them. */
function scrapeAnnotations(annotations: Json | undefined): Json | undefined {
  if (!annotations) return undefined;
  const kept = Object.entries(annotations).filter(([key]) => key.startsWith('prometheus.io/'));
  return kept.length ? Object.fromEntries(kept) : undefined;
}

function stripEnv(podSpec: Json | undefined): void {
  for (const list of [podSpec?.containers, podSpec?.initContainers]) {
    for (const container of (list as Json[] | undefined) ?? []) {
      const env = container.env as Json[] | undefined;
      if (env)
        container.env = env.map((entry) => ({
          name: entry.name,
          ...(entry.valueFrom ? { valueFrom: entry.valueFrom } : {}),
        }));
    }
  }
}

/** Previous-container logs of crash-looping containers: a few pods per workload, a few KB each. */
async function fetchCrashLogs(kube: KubeClient, pods: Pod[]): Promise<ContainerLog[]> {
  const perOwner = new Map<string, number>();
  const targets: { pod: Pod; container: string; final?: boolean }[] = [];
  for (const pod of pods) {
    if (targets.length >= LOG_LIMITS.pods) break;
    const crashing = (pod.status?.containerStatuses ?? []).filter(
      (status) =>
        (status.restartCount ?? 0) > 0 &&
        (status.state?.waiting?.reason === 'CrashLoopBackOff' || status.lastState?.terminated),
    );
    // A pod that failed for good (restartPolicy Never, as a Job's) keeps its last log in the current container.
    const ended = (pod.status?.phase === 'Failed' ? (pod.status?.containerStatuses ?? []) : []).find(
      (status) => (status.state?.terminated?.exitCode ?? 0) !== 0,
    );
    if (
      !ended &&
      (crashing.length === 0 || !crashing.some((status) => status.state?.waiting?.reason === 'CrashLoopBackOff'))
    )
      continue;
    const owner = `${pod.metadata.namespace}/${pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name}`;
    const count = perOwner.get(owner) ?? 0;
    if (count >= LOG_LIMITS.perWorkload) continue;
    perOwner.set(owner, count + 1);
    const first = ended ?? crashing[0];
    if (first) targets.push({ pod, container: first.name, final: ended !== undefined });
  }
  const results = await Promise.all(
    // A pod that restarted between the list and this request has no previous log yet: not worth failing for.
    targets.map(({ pod, container, final }) => readContainerLog(kube, pod, container, final ? 'final' : 'previous')),
  );
  return results.filter((log): log is ContainerLog => log !== undefined);
}

/**
 * The running container's log of pods that serve errors while Running and Ready (the first container
 * each): what their 5xx say. A log that cannot be read is left out.
 */
export async function fetchServingLogs(kube: KubeClient, pods: readonly Pod[]): Promise<ContainerLog[]> {
  const results = await Promise.all(
    pods.map((pod) => {
      const container = pod.spec?.containers?.[0]?.name ?? pod.status?.containerStatuses?.[0]?.name;
      return container ? readContainerLog(kube, pod, container, 'current') : undefined;
    }),
  );
  return results.filter((log): log is ContainerLog => log !== undefined);
}

/** One container's log tail: the previous instance's, the current one's, or the last of a pod that ended. */
async function readContainerLog(
  kube: KubeClient,
  pod: Pod,
  container: string,
  which: 'previous' | 'current' | 'final',
): Promise<ContainerLog | undefined> {
  const path = resourcePath({
    group: '',
    version: 'v1',
    resource: 'pods',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    subresource: 'log',
  });
  try {
    const text = await kube.request<string>({
      path,
      text: true,
      query: {
        container,
        previous: which === 'previous',
        tailLines: LOG_LIMITS.tailLines,
        limitBytes: LOG_LIMITS.limitBytes,
      },
    });
    return {
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name,
      podUid: pod.metadata.uid,
      container,
      text,
      ...(which === 'final' ? { final: true } : {}),
      ...(which === 'current' ? { serving: true } : {}),
    };
  } catch {
    return undefined;
  }
}
