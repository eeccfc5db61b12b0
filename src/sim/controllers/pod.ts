/**
 * The kubelet: turns a scheduled pod's behaviour (`sim.inc.dev/behavior` on the pod template)
 * into the status, restart counts and events a real kubelet would produce. Status is computed
 * from the pod's start and the clock (see pod-timeline.ts); events are replayed at their exact
 * times. Pods on a node that stopped reporting keep their last status, are marked not ready by
 * the node controller and, after the unreachable toleration (300 s), are evicted by the taint
 * manager: they stay Terminating while the node is gone, and the ReplicaSet replaces them.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { syncPodLog } from './logs.js';
import {
  type Behavior,
  type ContainerLife,
  containerBehavior,
  containerEvents,
  containerLife,
  goDuration,
  type TimelineEvent,
} from './pod-timeline.js';
import { containersOf, isTerminal, podRequests } from './resources.js';
import { clone, type Dict, deepEqual, findCondition, fnv32a, hexDigest, iso, ms, scratch } from './util.js';

export const EVICTION_AFTER_MS = 300_000;
const KUBELET = 'kubelet';

interface PodMemory {
  resourceVersion?: string;
  /** The node's Ready status when the pod was last synced; a change means a resync. */
  nodeReady?: string;
  /** Events were replayed up to this instant. */
  eventsUntil: number;
  /** Nothing changes before this instant unless the pod is written. */
  nextChangeAt: number;
}

const memories = new WeakMap<ClusterState, Map<string, PodMemory>>();

/** When the kubelet first saw the pod: its start time, else when it was scheduled. */
export function podStart(pod: SimObject): number | undefined {
  const started = ms((pod.status as Dict | undefined)?.startTime);
  if (!Number.isNaN(started)) return started;
  const scheduled = findCondition(pod, 'PodScheduled');
  if (scheduled?.status !== 'True') return undefined;
  const at = ms(scheduled.lastTransitionTime);
  return Number.isNaN(at) ? ms(pod.metadata.creationTimestamp) : at;
}

export const kubeletController: Controller = {
  name: 'kubelet',
  reconcile(state) {
    const now = state.now().getTime();
    const memory = scratch(memories, state, () => new Map<string, PodMemory>());
    const nodes = new Map(state.list('Node').map((node) => [node.metadata.name, node]));
    const seen = new Set<string>();
    for (const pod of state.list('Pod')) {
      const uid = pod.metadata.uid ?? pod.metadata.name;
      seen.add(uid);
      const nodeName = (pod.spec as Dict | undefined)?.nodeName as string | undefined;
      if (!nodeName || isTerminal(pod)) continue;
      const node = nodes.get(nodeName);
      const remembered = memory.get(uid);
      if (
        remembered &&
        remembered.resourceVersion === pod.metadata.resourceVersion &&
        remembered.nodeReady === nodeReadyStatus(node) &&
        now < remembered.nextChangeAt
      ) {
        continue;
      }
      syncPod(state, pod, node, now, memory);
    }
    for (const uid of memory.keys()) if (!seen.has(uid)) memory.delete(uid);
  },
};

function syncPod(
  state: ClusterState,
  pod: SimObject,
  node: SimObject | undefined,
  now: number,
  memory: Map<string, PodMemory>,
): void {
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const start = podStart(pod);
  if (start === undefined) return;
  const lostSince = node ? nodeLostSince(node) : now;
  if (pod.metadata.deletionTimestamp !== undefined) {
    if (lostSince === undefined) killPod(state, pod, node);
    return;
  }
  const until = lostSince === undefined ? now : Math.min(now, lostSince);
  const previous = memory.get(uid);
  replayEvents(state, pod, node, start, previous?.eventsUntil ?? start - 1, until);
  const current = state.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
  const next = { ...current, status: computePodStatus(current, node, start, until) };
  if (lostSince !== undefined) markNotReady(next, lostSince);
  let written = deepEqual(current.status, next.status) ? current : state.update(next);
  if (lostSince !== undefined && findCondition(current, 'Ready')?.status === 'True') {
    // The node lifecycle controller marks the pods of a lost node not ready and says why.
    recordEvent(
      state,
      written,
      'Warning',
      'NodeNotReady',
      'Node is not ready',
      { component: 'node-controller' },
      {
        at: lostSince,
      },
    );
  }
  syncPodLog(state, written, start, until);
  if (lostSince !== undefined && now >= lostSince + EVICTION_AFTER_MS) written = evict(state, written, lostSince);
  memory.set(uid, {
    resourceVersion: written.metadata.resourceVersion,
    nodeReady: nodeReadyStatus(node),
    eventsUntil: until,
    nextChangeAt: lostSince !== undefined ? lostSince + EVICTION_AFTER_MS : nextChange(current, start, now),
  });
}

/** The earliest instant the computed status or events may change; healthy running pods never do. */
function nextChange(pod: SimObject, start: number, now: number): number {
  const behaviors = containersOf(pod).map((c, i) => containerBehavior(pod, c, i));
  if (now < start + 5_000) return now + 250;
  if (behaviors.every((b) => b === 'healthy' || b === 'unschedulable')) return Number.POSITIVE_INFINITY;
  // The next kubelet event (a start, crash, probe or pull) is when status, logs or events change next;
  // a running crash-looping container's log lines are refreshed a second into its run.
  let next = now + 60_000;
  for (const behavior of behaviors) {
    const upcoming = containerEvents(behavior, start, now, now + 310_000)[0];
    if (upcoming) next = Math.min(next, upcoming.at);
    if (behavior === 'crashloop' || behavior === 'oom') {
      const life = containerLife(behavior, start, now);
      if (life.phase.kind === 'running') next = Math.min(next, Math.max(now + 1, life.phase.startedAt + 1_000));
    }
  }
  return Math.max(now + 1, next);
}

function nodeReadyStatus(node: SimObject | undefined): string {
  return String(findCondition(node ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: '' } }, 'Ready')?.status);
}

/**
 * Tells the kubelet a pod written with its computed status needs no event replay up to `until`
 * (the load generator writes thousands of long-running pods at once).
 */
export function markPodSynced(state: ClusterState, pod: SimObject, node: SimObject | undefined, until: number): void {
  const memory = scratch(memories, state, () => new Map<string, PodMemory>());
  memory.set(pod.metadata.uid ?? pod.metadata.name, {
    resourceVersion: pod.metadata.resourceVersion,
    nodeReady: nodeReadyStatus(node),
    eventsUntil: until,
    nextChangeAt: Number.POSITIVE_INFINITY,
  });
}

/** When the node stopped being Ready, or undefined while it is Ready. */
export function nodeLostSince(node: SimObject): number | undefined {
  const ready = findCondition(node, 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  return ms(ready.lastTransitionTime);
}

function replayEvents(
  state: ClusterState,
  pod: SimObject,
  node: SimObject | undefined,
  start: number,
  from: number,
  to: number,
): void {
  if (to <= from) return;
  const host = node?.metadata.name;
  containersOf(pod).forEach((container, index) => {
    const behavior = containerBehavior(pod, container, index);
    const name = String(container.name);
    // Repeats of one event (same reason and message) are written once, with their count and last time.
    const batches = new Map<string, { first: TimelineEvent; last: number; times: number; message: string }>();
    for (const event of containerEvents(behavior, start, from, to)) {
      const message = eventMessage(event.what, pod, container, event.at);
      const key = `${event.reason}\u0000${message}`;
      const batch = batches.get(key);
      if (batch) {
        batch.last = event.at;
        batch.times += 1;
      } else {
        batches.set(key, { first: event, last: event.at, times: 1, message });
      }
    }
    for (const { first, last, times, message } of batches.values()) {
      if (first.what === 'oom-killing') {
        if (node) {
          recordEvent(
            state,
            node,
            'Warning',
            'OOMKilling',
            message,
            { component: 'kernel-monitor', host },
            { at: first.at },
          );
        }
        continue;
      }
      recordEvent(
        state,
        pod,
        first.type,
        first.reason,
        message,
        { component: KUBELET, host },
        {
          at: first.at,
          lastAt: last,
          times,
          fieldPath: `spec.containers{${name}}`,
        },
      );
    }
  });
}

function podRef(pod: SimObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function fullImageName(image: string): string {
  const first = image.split('/')[0]!;
  if (!image.includes('/')) return `docker.io/library/${image}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${image}`;
  return image;
}

function eventMessage(what: string, pod: SimObject, container: Dict, at: number): string {
  const image = String(container.image ?? '');
  const name = String(container.name);
  const full = fullImageName(image.includes(':') || image.includes('@') ? image : `${image}:latest`);
  switch (what) {
    case 'pulling':
      return `Pulling image "${image}"`;
    case 'pulled':
      return `Successfully pulled image "${image}" in 1.5s (1.5s including waiting). Image size: ${imageSize(image)} bytes.`;
    case 'present':
      return `Container image "${image}" already present on machine`;
    case 'created':
      return `Created container ${name}`;
    case 'started':
      return `Started container ${name}`;
    case 'backoff':
      return `Back-off restarting failed container ${name} in pod ${podRef(pod)}`;
    case 'unhealthy':
      return 'Readiness probe failed: HTTP probe failed with statuscode: 503';
    case 'pull-failed':
      return `Failed to pull image "${image}": ${pullError(full)}`;
    case 'err-image-pull':
      return 'Error: ErrImagePull';
    case 'pull-backoff':
      return `Back-off pulling image "${image}"`;
    case 'err-pull-backoff':
      return 'Error: ImagePullBackOff';
    case 'oom-killing': {
      const pid = 1000 + (fnvish(`${pod.metadata.uid}${at}`) % 30000);
      return `Memory cgroup out of memory: Killed process ${pid} (${name}) total-vm:1468532kB, anon-rss:${memoryKb(pod)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1604kB oom_score_adj:936`;
    }
    default:
      return what;
  }
}

export function pullError(fullImage: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${fullImage}": failed to resolve reference "${fullImage}": ${fullImage}: not found`;
}

function memoryKb(pod: SimObject): number {
  const limit = containersOf(pod)[0]?.resources as { limits?: Dict } | undefined;
  const bytes = limit?.limits?.memory
    ? podRequests({ ...pod, spec: { containers: [{ resources: { requests: limit.limits } }] } }).memory
    : 268435456;
  return Math.round(bytes / 1024);
}

function fnvish(text: string): number {
  return fnv32a(text);
}

function imageSize(image: string): number {
  return 20_000_000 + (fnvish(image) % 80_000_000);
}

export function containerID(pod: SimObject, container: string, run: number): string {
  return `containerd://${digest(`${pod.metadata.uid}/${container}/${run}`)}`;
}

function digest(text: string): string {
  return hexDigest(text);
}

function containerStatus(pod: SimObject, container: Dict, behavior: Behavior, life: ContainerLife): Dict {
  const image = String(container.image ?? '');
  const name = String(container.name);
  const base: Dict = { name, image, imageID: '', ready: false, restartCount: life.restartCount, started: false };
  const idFor = (run: number) => containerID(pod, name, run);
  const pulled = () => {
    const full = fullImageName(image.includes(':') || image.includes('@') ? image : `${image}:latest`);
    base.image = full;
    base.imageID = `${full.split(':')[0]}@sha256:${digest(image)}`;
  };
  const terminated = (run: { startedAt: number; finishedAt?: number }, runIndex: number) => ({
    terminated: {
      exitCode: behavior === 'oom' ? 137 : 1,
      reason: behavior === 'oom' ? 'OOMKilled' : 'Error',
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt ?? run.startedAt),
      containerID: idFor(runIndex),
    },
  });
  const phase = life.phase;
  base.lastState = {};
  switch (phase.kind) {
    case 'creating':
      base.state = { waiting: { reason: 'ContainerCreating' } };
      break;
    case 'pull-error':
      base.state = {
        waiting:
          phase.reason === 'ErrImagePull'
            ? { reason: 'ErrImagePull', message: pullError(fullImageName(image)) }
            : {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${image}": ErrImagePull: ${pullError(fullImageName(image))}`,
              },
      };
      break;
    case 'running':
      pulled();
      base.state = { running: { startedAt: iso(phase.startedAt) } };
      base.ready = phase.ready;
      base.started = true;
      base.containerID = idFor(life.restartCount);
      if (life.finished.length > 0) {
        base.lastState = terminated(life.finished[life.finished.length - 1]!, life.finished.length - 1);
      }
      break;
    case 'backoff':
      pulled();
      base.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(phase.backoffMs)} restarting failed container=${name} pod=${podRef(pod)}`,
        },
      };
      base.lastState = terminated(life.current!, life.restartCount);
      base.containerID = idFor(life.restartCount);
      break;
  }
  return base;
}

/** The status the kubelet reports for a pod started at `start`, as of `now`. */
export function computePodStatus(pod: SimObject, node: SimObject | undefined, start: number, now: number): Dict {
  const previous = (pod.status ?? {}) as Dict;
  const containers = containersOf(pod);
  const lives = containers.map((container, index) => {
    const behavior = containerBehavior(pod, container, index);
    return { container, behavior, life: containerLife(behavior, start, now) };
  });
  const statuses = lives.map(({ container, behavior, life }) => containerStatus(pod, container, behavior, life));
  const running = lives.every(({ life }) => life.current !== undefined);
  const unready = statuses.filter((s) => s.ready !== true).map((s) => s.name);
  const readySince = Math.max(
    start,
    ...lives.map(({ life }) => (life.phase.kind === 'running' ? life.phase.readySince : start)),
  );
  const hostIP = nodeIP(node);
  const scheduled = ((previous.conditions as Dict[] | undefined) ?? []).find((c) => c.type === 'PodScheduled');
  const readyCondition = (type: string) =>
    unready.length === 0
      ? { type, status: 'True', lastProbeTime: null, lastTransitionTime: iso(readySince) }
      : {
          type,
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: iso(start),
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${unready.join(' ')}]`,
        };
  const out: Dict = {
    phase: running || lives.some(({ life }) => life.phase.kind === 'backoff') ? 'Running' : 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start + 1000) },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
      readyCondition('Ready'),
      readyCondition('ContainersReady'),
      scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: podIP(pod, node),
    podIPs: [{ ip: podIP(pod, node) }],
    startTime: iso(start),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
  return out;
}

function markNotReady(pod: SimObject, since: number): void {
  const podStatusValue = pod.status as Dict;
  podStatusValue.conditions = ((podStatusValue.conditions as Dict[]) ?? []).map((condition) =>
    condition.type === 'Ready' && condition.status === 'True'
      ? { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: iso(since) }
      : condition,
  );
}

function evict(state: ClusterState, pod: SimObject, lostSince: number): SimObject {
  if (pod.metadata.deletionTimestamp !== undefined) return pod;
  const next = clone(pod);
  next.metadata.deletionTimestamp = iso(lostSince + EVICTION_AFTER_MS);
  next.metadata.deletionGracePeriodSeconds = 30;
  const written = state.update(next);
  recordEvent(
    state,
    written,
    'Normal',
    'TaintManagerEviction',
    `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
    { component: 'taint-eviction-controller' },
    { at: lostSince + EVICTION_AFTER_MS },
  );
  return written;
}

function killPod(state: ClusterState, pod: SimObject, node: SimObject | undefined): void {
  for (const container of containersOf(pod)) {
    recordEvent(
      state,
      pod,
      'Normal',
      'Killing',
      `Stopping container ${container.name}`,
      {
        component: KUBELET,
        host: node?.metadata.name,
      },
      { fieldPath: `spec.containers{${container.name}}` },
    );
  }
  state.delete('Pod', pod.metadata.namespace, pod.metadata.name);
}

export function nodeIP(node: SimObject | undefined): string {
  const addresses = (((node?.status ?? {}) as Dict).addresses as Dict[] | undefined) ?? [];
  return String(addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.10');
}

export function podIP(pod: SimObject, node: SimObject | undefined): string {
  const cidr = String(((node?.spec ?? {}) as Dict).podCIDR ?? '10.244.0.0/24');
  const prefix = cidr.split('.').slice(0, 3).join('.');
  return `${prefix}.${2 + (fnvish(pod.metadata.uid ?? pod.metadata.name) % 250)}`;
}

function qosClass(pod: SimObject): string {
  const containers = containersOf(pod).map((c) => (c.resources ?? {}) as { requests?: Dict; limits?: Dict });
  if (containers.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  const guaranteed = containers.every(
    (r) =>
      r.limits?.cpu &&
      r.limits?.memory &&
      (!r.requests || (r.requests.cpu === r.limits.cpu && r.requests.memory === r.limits.memory)),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
