import type { LabelSelector } from '../label-selector.js';

/**
 * The fields of Kubernetes objects triage reads, as the API server serves them (raw JSON).
 * Only what the checks use is typed; everything is optional because real objects vary.
 */

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: { manager?: string; operation?: string; time?: string }[];
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface ContainerStateTerminated {
  reason?: string;
  exitCode?: number;
  signal?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface Container {
  name: string;
  image?: string;
  resources?: Resources;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; initContainers?: Container[] };
}

export interface Pod extends KObject {
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[]; restartPolicy?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface KEvent extends KObject {
  involvedObject?: { kind?: string; namespace?: string; name?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
}

export interface Node extends KObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; effect: string; value?: string }[] };
  status?: { conditions?: Condition[]; allocatable?: Record<string, string>; capacity?: Record<string, string> };
}

export interface Workload extends KObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: PodTemplate;
    paused?: boolean;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberUnavailable?: number;
    updatedNumberScheduled?: number;
    conditions?: Condition[];
  };
}

/** A StatefulSet's or DaemonSet's ControllerRevision: one pod template, numbered. */
export interface ControllerRevision extends KObject {
  revision?: number;
  data?: { spec?: { template?: PodTemplate } };
}

export interface Service extends KObject {
  spec?: {
    selector?: Record<string, string>;
    type?: string;
    clusterIP?: string;
    ports?: { name?: string; port?: number; targetPort?: number | string }[];
  };
}

export interface EndpointAddress {
  ip?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

export interface Endpoints extends KObject {
  subsets?: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[] }[];
}

export interface PodMetrics extends KObject {
  containers?: { name: string; usage?: Record<string, string> }[];
}

export interface NodeMetrics extends KObject {
  usage?: Record<string, string>;
}

/** An autoscaling/v2 HorizontalPodAutoscaler, the fields triage reads. */
export interface Autoscaler extends KObject {
  spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface NetworkPolicy extends KObject {
  spec?: { podSelector?: LabelSelector; policyTypes?: string[]; ingress?: PolicyRule[]; egress?: PolicyRule[] };
}

/** An ingress or egress rule: no `from`/`to` means every peer, no `ports` every port. */
export interface PolicyRule {
  from?: unknown[];
  to?: unknown[];
  ports?: unknown[];
}

/** A ConfigMap or Secret, as its metadata alone (the fetcher never reads data). */
export type ConfigObject = KObject;

export interface Application extends KObject {
  spec?: {
    destination?: { namespace?: string; server?: string; name?: string };
    syncPolicy?: { automated?: { enabled?: boolean; selfHeal?: boolean; prune?: boolean } | null };
  };
  status?: {
    resources?: { group?: string; kind?: string; namespace?: string; name?: string }[];
    sync?: { revision?: string; status?: string };
    operationState?: { finishedAt?: string; phase?: string; syncResult?: { revision?: string } };
  };
}

export interface ContainerLog {
  namespace: string;
  pod: string;
  podUid?: string;
  container: string;
  text: string;
  /** The log of a container that ended for good (a failed Job's pod), not a previous instance's. */
  final?: boolean;
  /** The running container's log of a pod serving errors (read for a HighErrorRate finding). */
  serving?: boolean;
}
