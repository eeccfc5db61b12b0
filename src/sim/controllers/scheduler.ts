/**
 * The scheduler: binds pending pods to Ready, schedulable nodes with room for their requests
 * (least-allocated first), or leaves them Pending with PodScheduled=False/Unschedulable and the
 * real scheduler's message ("0/3 nodes are available: 3 Insufficient cpu. preemption: …").
 * Its events are events.k8s.io-style (eventTime and series), as a real scheduler writes them.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { isTerminal, nodeAllocatable, podRequests, podScoringRequests, type Resources } from './resources.js';
import { clone, type Dict, isDeleting, iso, podBehavior, scratch, setCondition, spec, status } from './util.js';

const RETRY_MS = 60_000;
const RETRY_TRY_MS = 5_000;
const lastTries = new WeakMap<ClusterState, Map<string, number>>();
const SOURCE = { component: 'default-scheduler' };
const attempts = new WeakMap<ClusterState, Map<string, { at: number; message: string }>>();

interface NodeFit {
  node: SimObject;
  free: Resources;
  allocatable: Resources;
  /** Room left counting pods that request nothing at the non-zero defaults: what scoring ranks by. */
  scoringFree: Resources;
}

/** Why a node cannot take the pod, in the scheduler's words; undefined when it fits. */
function unfitReasons(pod: SimObject, fit: NodeFit, requests: Resources): { reasons: string[]; preemptable: boolean } {
  const nodeSpec = (fit.node.spec ?? {}) as Dict;
  if (podBehavior(pod) === 'unschedulable') {
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], preemptable: false };
  }
  if (nodeSpec.unschedulable === true) return { reasons: ['node(s) were unschedulable'], preemptable: false };
  const taint = untoleratedTaint(pod, fit.node);
  if (taint) {
    return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], preemptable: false };
  }
  const reasons: string[] = [];
  if (requests.cpu > fit.free.cpu + 1e-9) reasons.push('Insufficient cpu');
  if (requests.memory > fit.free.memory) reasons.push('Insufficient memory');
  return { reasons, preemptable: true };
}

function untoleratedTaint(pod: SimObject, node: SimObject): Dict | undefined {
  const taints = (((node.spec ?? {}) as Dict).taints as Dict[] | undefined) ?? [];
  const tolerations = (((pod.spec ?? {}) as Dict).tolerations as Dict[] | undefined) ?? [];
  return taints.find(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((toleration) => tolerates(toleration, taint)),
  );
}

export function tolerates(toleration: Dict, taint: Dict): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** Builds "0/3 nodes are available: …" with reasons counted and sorted as the scheduler does. */
export function unschedulableMessage(total: number, counts: Map<string, number>, preemption: Map<string, number>) {
  if (total === 0) return 'no nodes available to schedule pods';
  const histogram = (map: Map<string, number>) =>
    [...map.entries()]
      .map(([reason, count]) => `${count} ${reason}`)
      .sort()
      .join(', ');
  return `0/${total} nodes are available: ${histogram(counts)}. preemption: 0/${total} nodes are available: ${histogram(preemption)}.`;
}

function isNodeReady(node: SimObject): boolean {
  const conditions = (((node.status ?? {}) as Dict).conditions as Dict[] | undefined) ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function buildFits(state: ClusterState, nodes: SimObject[]): Map<string, NodeFit> {
  const fits = new Map<string, NodeFit>();
  for (const node of nodes) {
    const allocatable = nodeAllocatable(node);
    fits.set(node.metadata.name, { node, allocatable, free: { ...allocatable }, scoringFree: { ...allocatable } });
  }
  for (const pod of state.list('Pod')) {
    const nodeName = ((pod.spec ?? {}) as Dict).nodeName as string | undefined;
    const fit = nodeName ? fits.get(nodeName) : undefined;
    if (!fit || isTerminal(pod)) continue;
    reserve(fit, pod);
  }
  return fits;
}

export const schedulerController: Controller = {
  name: 'scheduler',
  reconcile(state) {
    const pending = state
      .list('Pod')
      .filter((pod) => !((pod.spec ?? {}) as Dict).nodeName && !isDeleting(pod) && !isTerminal(pod));
    if (pending.length === 0) return;
    // Like the scheduler's back-off queue: an unschedulable pod is retried every few seconds, not on every pass.
    const now = state.now().getTime();
    const tries = scratch(lastTries, state, () => new Map<string, number>());
    const due = pending.filter(
      (pod) => now - (tries.get(pod.metadata.uid ?? pod.metadata.name) ?? -Infinity) >= RETRY_TRY_MS,
    );
    if (due.length === 0) return;
    for (const pod of due) tries.set(pod.metadata.uid ?? pod.metadata.name, now);
    if (tries.size > pending.length * 2 + 100) {
      const live = new Set(pending.map((pod) => pod.metadata.uid ?? pod.metadata.name));
      for (const uid of tries.keys()) if (!live.has(uid)) tries.delete(uid);
    }
    pending.splice(0, pending.length, ...due);
    pending.sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    const nodes = state.list('Node').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const fits = buildFits(state, nodes);
    for (const pod of pending) schedulePod(state, pod, [...fits.values()]);
  },
};

function schedulePod(state: ClusterState, pod: SimObject, fits: NodeFit[]): void {
  const requests = podRequests(pod);
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  const feasible: NodeFit[] = [];
  for (const fit of fits) {
    if (!isNodeReady(fit.node) && !untoleratedTaint(pod, fit.node)) {
      bump(counts, 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
      bump(preemption, 'Preemption is not helpful for scheduling');
      continue;
    }
    const { reasons, preemptable } = unfitReasons(pod, fit, requests);
    if (reasons.length === 0) {
      feasible.push(fit);
      continue;
    }
    for (const reason of reasons) bump(counts, reason);
    bump(
      preemption,
      preemptable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling',
    );
  }
  if (feasible.length > 0) {
    const best = feasible.sort((a, b) => score(b) - score(a))[0]!;
    reserve(best, pod);
    bind(state, pod, best.node);
    return;
  }
  markUnschedulable(state, pod, unschedulableMessage(fits.length, counts, preemption));
}

function reserve(fit: NodeFit, pod: SimObject): void {
  const requests = podRequests(pod);
  fit.free.cpu -= requests.cpu;
  fit.free.memory -= requests.memory;
  const scoring = podScoringRequests(pod);
  fit.scoringFree.cpu -= scoring.cpu;
  fit.scoringFree.memory -= scoring.memory;
}

/** LeastAllocated: the share of the node left free after the pods on it, counted with non-zero requests. */
function score(fit: NodeFit): number {
  const cpu = fit.allocatable.cpu > 0 ? fit.scoringFree.cpu / fit.allocatable.cpu : 0;
  const memory = fit.allocatable.memory > 0 ? fit.scoringFree.memory / fit.allocatable.memory : 0;
  return cpu + memory;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A copy of the pending pod with its PodScheduled condition set. */
function withPodScheduled(pod: SimObject, condition: Dict, now: string): SimObject {
  const next = clone(pod);
  const podStatus = status(next);
  podStatus.phase = 'Pending';
  podStatus.conditions = setCondition(
    (podStatus.conditions as Dict[] | undefined) ?? [],
    { type: 'PodScheduled', status: condition.status, lastProbeTime: null, ...condition },
    now,
  );
  return next;
}

function bind(state: ClusterState, pod: SimObject, node: SimObject): void {
  const now = iso(state.now());
  const next = withPodScheduled(pod, { status: 'True' }, now);
  spec(next).nodeName = node.metadata.name;
  const bound = state.update(next);
  recordEvent(
    state,
    bound,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
    SOURCE,
    { style: 'series' },
  );
}

function markUnschedulable(state: ClusterState, pod: SimObject, message: string): void {
  const now = state.now().getTime();
  const memory = scratch(attempts, state, () => new Map<string, { at: number; message: string }>());
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const last = memory.get(uid);
  if (last && last.message === message && now - last.at < RETRY_MS) return;
  memory.set(uid, { at: now, message });
  const next = withPodScheduled(pod, { status: 'False', reason: 'Unschedulable', message }, iso(now));
  const updated = JSON.stringify(next.status) === JSON.stringify(pod.status) ? pod : state.update(next);
  recordEvent(state, updated, 'Warning', 'FailedScheduling', message, SOURCE, { style: 'series' });
}
