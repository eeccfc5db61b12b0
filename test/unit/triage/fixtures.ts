import type { ContainerStatus, KEvent, Node, Pod, Workload } from '../../../src/triage/k8s.js';
import { emptySnapshot, type Snapshot } from '../../../src/triage/snapshot.js';

export const NOW = '2026-03-10T14:30:00Z';
export const nowMs = Date.parse(NOW);
/** An ISO time `minutes` before NOW. */
export const ago = (minutes: number) => new Date(nowMs - minutes * 60_000).toISOString();

let counter = 0;
const uid = (prefix: string) => `${prefix}-uid-${++counter}`;

export function deployment(
  namespace: string,
  name: string,
  options: {
    replicas?: number;
    revision?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    status?: Workload['status'];
  } = {},
): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      uid: uid(`deploy-${name}`),
      generation: 2,
      labels: options.labels,
      annotations: { 'deployment.kubernetes.io/revision': String(options.revision ?? 2), ...options.annotations },
      creationTimestamp: ago(600),
    },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { spec: { containers: [{ name, image: `${name}:2` }] } },
    },
    status: options.status ?? {
      observedGeneration: 2,
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
    },
  };
}

export function replicaSet(
  owner: Workload,
  hash: string,
  options: { revision: number; image: string; createdMinutesAgo: number; changeCause?: string },
): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      uid: uid(`rs-${hash}`),
      creationTimestamp: ago(options.createdMinutesAgo),
      annotations: {
        'deployment.kubernetes.io/revision': String(options.revision),
        ...(options.changeCause ? { 'kubernetes.io/change-cause': options.changeCause } : {}),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: owner.metadata.name,
          uid: owner.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: { template: { spec: { containers: [{ name: owner.metadata.name, image: options.image }] } } },
  };
}

export function pod(
  name: string,
  options: {
    namespace?: string;
    owner?: Workload;
    hash?: string;
    phase?: string;
    containers?: ContainerStatus[];
    init?: ContainerStatus[];
    conditions?: NonNullable<Pod['status']>['conditions'];
    startedMinutesAgo?: number;
    node?: string;
    limits?: Record<string, string>;
    reason?: string;
    message?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  } = {},
): Pod {
  const owner = options.owner;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? owner?.metadata.namespace ?? 'payments',
      uid: uid(`pod-${name}`),
      creationTimestamp: ago(options.startedMinutesAgo ?? 30),
      deletionTimestamp: options.deletionTimestamp,
      labels: { ...(options.hash ? { 'pod-template-hash': options.hash } : {}), ...options.labels },
      ownerReferences: owner
        ? [
            {
              apiVersion: 'apps/v1',
              kind: owner.kind ?? 'ReplicaSet',
              name: owner.metadata.name,
              uid: owner.metadata.uid,
              controller: true,
            },
          ]
        : undefined,
    },
    spec: {
      nodeName: options.node ?? 'node-1',
      containers: [{ name: 'api', image: 'api:2', resources: options.limits ? { limits: options.limits } : undefined }],
    },
    status: {
      phase: options.phase ?? 'Running',
      reason: options.reason,
      message: options.message,
      startTime: ago(options.startedMinutesAgo ?? 30),
      conditions: options.conditions,
      containerStatuses: options.containers ?? [running('api')],
      initContainerStatuses: options.init,
    },
  };
}

export function running(name: string, restarts = 0): ContainerStatus {
  return { name, ready: true, restartCount: restarts, image: 'api:2', state: { running: { startedAt: ago(20) } } };
}

/** The status kubelet reports for a container in a crash loop (real field shapes). */
export function crashLooping(
  name: string,
  restarts: number,
  last: { reason: string; exitCode: number; finishedMinutesAgo?: number } = { reason: 'Error', exitCode: 1 },
): ContainerStatus {
  return {
    name,
    ready: false,
    restartCount: restarts,
    image: 'api:2',
    started: false,
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=${name} pod=x_payments(uid)`,
      },
    },
    lastState: {
      terminated: {
        reason: last.reason,
        exitCode: last.exitCode,
        startedAt: ago((last.finishedMinutesAgo ?? 1) + 0.1),
        finishedAt: ago(last.finishedMinutesAgo ?? 1),
      },
    },
  };
}

export function waiting(name: string, reason: string, message?: string): ContainerStatus {
  return { name, ready: false, restartCount: 0, image: 'api:2', state: { waiting: { reason, message } } };
}

export function event(
  target: { kind: string; namespace?: string; name: string; uid?: string },
  reason: string,
  options: {
    message?: string;
    type?: string;
    count?: number;
    firstMinutesAgo?: number;
    lastMinutesAgo?: number | null;
    eventTime?: string;
    series?: KEvent['series'];
  } = {},
): KEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${target.name}.${++counter}`,
      namespace: target.namespace,
      creationTimestamp: ago(options.firstMinutesAgo ?? 5),
    },
    involvedObject: { kind: target.kind, namespace: target.namespace, name: target.name, uid: target.uid },
    reason,
    message: options.message ?? reason,
    type: options.type ?? 'Warning',
    count: options.count ?? 1,
    firstTimestamp: options.lastMinutesAgo === null ? null : ago(options.firstMinutesAgo ?? 5),
    lastTimestamp: options.lastMinutesAgo === null ? null : ago(options.lastMinutesAgo ?? 1),
    eventTime: options.eventTime ?? null,
    series: options.series ?? null,
  };
}

export function podRef(p: Pod) {
  return { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid };
}

export function node(
  name: string,
  conditions: NonNullable<Node['status']>['conditions'],
  options: { unschedulable?: boolean } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: uid(`node-${name}`) },
    spec: { unschedulable: options.unschedulable },
    status: { conditions, allocatable: { cpu: '4', memory: '16Gi' } },
  };
}

export function snapshotWith(parts: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot(NOW), ...parts };
}
