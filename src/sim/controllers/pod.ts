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
import { replayEvents } from './kubelet-events.js';
import { FAILED_REQUEST_LOG_MS, syncPodLog } from './logs.js';
import { configuredStart, findMissingConfig, holdPod } from './pod-config.js';
import { computePodStatus } from './pod-status.js';
import { containerBehavior, containerEvents, containerLife, runPolicyOf } from './pod-timeline.js';
import { containersOf, isTerminal } from './resources.js';
import { clone, type Dict, deepEqual, findCondition, iso, ms, podBehavior, scratch } from './util.js';

/**
 * How long the taint manager waits before evicting a pod from an unreachable node: the pod's
 * toleration of the NoExecute unreachable taint decides (admission gives every pod 300 s; a
 * toleration without tolerationSeconds, as DaemonSet pods have, means never).
 */
export function evictionDelayMs(pod: SimObject): number {
  const tolerations = (((pod.spec ?? {}) as Dict).tolerations as Dict[] | undefined) ?? [];
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const matching = tolerations.filter(
    (t) =>
      (!t.effect || t.effect === taint.effect) &&
      (t.operator === 'Exists' ? !t.key || t.key === taint.key : t.key === taint.key),
  );
  if (matching.length === 0) return 0;
  if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null))
    return Number.POSITIVE_INFINITY;
  return Math.max(...matching.map((t) => Number(t.tolerationSeconds) * 1000));
}
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
    const readiness = new Map([...nodes].map(([name, node]) => [name, nodeReadyStatus(node)]));
    const pods = state.list('Pod');
    for (const pod of pods) {
      const nodeName = (pod.spec as Dict | undefined)?.nodeName as string | undefined;
      if (!nodeName || isTerminal(pod)) continue;
      const remembered = memory.get(pod.metadata.uid ?? pod.metadata.name);
      if (
        remembered &&
        remembered.resourceVersion === pod.metadata.resourceVersion &&
        remembered.nodeReady === (readiness.get(nodeName) ?? nodeReadyStatus(undefined)) &&
        now < remembered.nextChangeAt
      ) {
        continue;
      }
      syncPod(state, pod, nodes.get(nodeName), now, memory);
    }
    if (memory.size > pods.length) {
      const live = new Set(pods.map((pod) => pod.metadata.uid ?? pod.metadata.name));
      for (const uid of memory.keys()) if (!live.has(uid)) memory.delete(uid);
    }
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
  let start = podStart(pod);
  if (start === undefined) return;
  const lostSince = node ? nodeLostSince(node) : now;
  if (pod.metadata.deletionTimestamp !== undefined) {
    if (lostSince === undefined) terminatePod(state, pod);
    return;
  }
  if (lostSince === undefined) {
    const missing = findMissingConfig(state, pod);
    if (missing) {
      const nextChangeAt = holdPod(state, pod, node, missing, start, now);
      const written = state.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
      memory.set(uid, {
        resourceVersion: written.metadata.resourceVersion,
        nodeReady: nodeReadyStatus(node),
        eventsUntil: now,
        nextChangeAt,
      });
      return;
    }
    start = configuredStart(state, pod, start, now);
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
  const evictAt = lostSince === undefined ? Number.POSITIVE_INFINITY : lostSince + evictionDelayMs(written);
  if (now >= evictAt) written = evict(state, written, evictAt);
  memory.set(uid, {
    resourceVersion: written.metadata.resourceVersion,
    nodeReady: nodeReadyStatus(node),
    eventsUntil: until,
    nextChangeAt: lostSince !== undefined ? evictAt : nextChange(current, start, now),
  });
}

/** The earliest instant the computed status or events may change; healthy running pods never do. */
function nextChange(pod: SimObject, start: number, now: number): number {
  const behaviors = containersOf(pod).map((c, i) => containerBehavior(pod, c, i));
  const policy = runPolicyOf(pod);
  if (now < start + 5_000) return now + 250;
  const ends = behaviors.map((b) => containerLife(b, start, now, policy).endsAt ?? Number.POSITIVE_INFINITY);
  const soonestEnd = Math.max(now + 1, Math.min(...ends));
  // A pod serving errors logs its next failed request a few seconds on.
  if (podBehavior(pod) === 'errors') return Math.min(soonestEnd, now + FAILED_REQUEST_LOG_MS);
  if (behaviors.every((b) => b === 'healthy' || b === 'unschedulable')) return soonestEnd;
  // The next kubelet event (a start, crash, probe or pull) is when status, logs or events change next;
  // a running crash-looping container's log lines are refreshed a second into its run.
  let next = now + 60_000;
  for (const behavior of behaviors) {
    const upcoming = containerEvents(behavior, start, now, now + 310_000, policy)[0];
    if (upcoming) next = Math.min(next, upcoming.at);
    if (behavior === 'crashloop' || behavior === 'oom') {
      const life = containerLife(behavior, start, now, policy);
      if (life.phase.kind === 'running') next = Math.min(next, Math.max(now + 1, life.phase.startedAt + 1_000));
    }
  }
  return Math.min(soonestEnd, Math.max(now + 1, next));
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

function markNotReady(pod: SimObject, since: number): void {
  const podStatusValue = pod.status as Dict;
  podStatusValue.conditions = ((podStatusValue.conditions as Dict[]) ?? []).map((condition) =>
    condition.type === 'Ready' && condition.status === 'True'
      ? { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: iso(since) }
      : condition,
  );
}

function evict(state: ClusterState, pod: SimObject, at: number): SimObject {
  if (pod.metadata.deletionTimestamp !== undefined) return pod;
  const next = clone(pod);
  next.metadata.deletionTimestamp = iso(at);
  next.metadata.deletionGracePeriodSeconds = 30;
  const written = state.update(next);
  recordEvent(
    state,
    written,
    'Normal',
    'TaintManagerEviction',
    `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
    { component: 'taint-eviction-controller' },
    { at: at },
  );
  return written;
}

/**
 * Deletes a pod the way the kubelet finishes a graceful termination: a Killing event per running
 * container, then the pod is gone (termination is instant in the simulator).
 */
export function terminatePod(state: ClusterState, pod: SimObject): void {
  const host = (pod.spec as Dict | undefined)?.nodeName as string | undefined;
  const statuses = (((pod.status ?? {}) as Dict).containerStatuses as Dict[] | undefined) ?? [];
  const running = new Set(statuses.filter((s) => (s.state as Dict | undefined)?.running).map((s) => String(s.name)));
  for (const container of containersOf(pod)) {
    if (!host || !running.has(String(container.name))) continue;
    recordEvent(
      state,
      pod,
      'Normal',
      'Killing',
      `Stopping container ${container.name}`,
      { component: KUBELET, host },
      {
        fieldPath: `spec.containers{${container.name}}`,
      },
    );
  }
  state.delete('Pod', pod.metadata.namespace, pod.metadata.name);
}
