import type {
  Application,
  Autoscaler,
  ConfigObject,
  ContainerLog,
  ControllerRevision,
  Endpoints,
  KEvent,
  NetworkPolicy,
  Node,
  NodeMetrics,
  Pod,
  PodMetrics,
  Service,
  Workload,
} from './k8s.js';
import { type HealthyPods, listAllPods } from './pod-census.js';
import type { RawQuery, SignalsSourceInfo } from './signals/signal-types.js';

/** Every resource kind triage lists: one request (paginated) per kind, never per object. */
export const RESOURCE_KEYS = [
  'pods',
  'events',
  'nodes',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'controllerRevisions',
  'jobs',
  'services',
  'endpoints',
  'podMetrics',
  'nodeMetrics',
  'networkPolicies',
  'applications',
  'autoscalers',
  'configMaps',
  'secrets',
] as const;
export type ResourceKey = (typeof RESOURCE_KEYS)[number];

/** Why a resource is missing from the snapshot. `absent`: the API (metrics, Argo CD) is not served. */
export interface ResourceFailure {
  kind: 'forbidden' | 'absent' | 'timeout' | 'unreachable' | 'error';
  message: string;
}

/** What the cluster looked like at one instant: the input of every check, and the saved evidence. */
export interface Snapshot {
  context: string;
  server: string;
  /** The namespace looked at; undefined means all namespaces. */
  namespace: string | undefined;
  /** The API server's time when the snapshot was taken (ISO). */
  now: string;
  /** The pods kept in full: all of them, or (with `healthyPods`) those not plainly healthy. Read them through `allPods`. */
  pods: Pod[];
  /** Plainly healthy pods folded per shape, so a large cluster's snapshot grows with what is wrong. */
  healthyPods?: HealthyPods;
  events: KEvent[];
  nodes: Node[];
  deployments: Workload[];
  replicasets: Workload[];
  statefulsets: Workload[];
  daemonsets: Workload[];
  /** The StatefulSets' and DaemonSets' revisions (templates without env values). */
  controllerRevisions: ControllerRevision[];
  jobs: Workload[];
  services: Service[];
  endpoints: Endpoints[];
  podMetrics: PodMetrics[];
  nodeMetrics: NodeMetrics[];
  networkPolicies: NetworkPolicy[];
  applications: Application[];
  /** HorizontalPodAutoscalers (autoscaling/v2), when the API serves them. */
  autoscalers: Autoscaler[];
  /** ConfigMaps and Secrets as metadata only (names, labels, the newest managedFields entry), never data. */
  configMaps: ConfigObject[];
  secrets: ConfigObject[];
  /** Previous-container logs of crash-looping pods (bounded). */
  logs: ContainerLog[];
  /** Resources that could not be listed, and why. */
  failures: Partial<Record<ResourceKey | 'logs', ResourceFailure>>;
  /** Resources that were asked for. */
  fetched: (ResourceKey | 'logs')[];
  /** The signals source's raw answers (Prometheus query results, scraped samples), as evidence. */
  signals?: { source: SignalsSourceInfo; queries: RawQuery[]; notes?: string[] };
}

/** An empty snapshot: the fetcher's starting point, and what tests fill in. */
export function emptySnapshot(now: string, namespace?: string): Snapshot {
  return {
    context: 'test',
    server: 'https://test',
    namespace,
    now,
    pods: [],
    events: [],
    nodes: [],
    deployments: [],
    replicasets: [],
    statefulsets: [],
    daemonsets: [],
    controllerRevisions: [],
    jobs: [],
    services: [],
    endpoints: [],
    podMetrics: [],
    nodeMetrics: [],
    networkPolicies: [],
    applications: [],
    autoscalers: [],
    configMaps: [],
    secrets: [],
    logs: [],
    failures: {},
    fetched: [...RESOURCE_KEYS, 'logs'],
  };
}

const everyPod = new WeakMap<Snapshot, Pod[]>();

/** Every pod of the snapshot, kept and healthy, in the API's order (built once per snapshot and pod list). */
export function allPods(snapshot: Snapshot): Pod[] {
  if (!snapshot.healthyPods) return snapshot.pods;
  const cached = everyPod.get(snapshot);
  if (cached) return cached;
  const pods = listAllPods(snapshot.pods, snapshot.healthyPods);
  everyPod.set(snapshot, pods);
  return pods;
}
