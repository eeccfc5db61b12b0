/** Pod and node resource arithmetic shared by the scheduler, the kubelet and the metrics API. */
import type { SimObject } from '../cluster-state.js';
import { type Dict, parseQuantity } from './util.js';

export interface Resources {
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export function containersOf(pod: SimObject): Dict[] {
  const spec = (pod.spec ?? {}) as Dict;
  return (spec.containers as Dict[] | undefined) ?? [];
}

/** The sum of container requests (what the scheduler reserves on a node). */
export function podRequests(pod: SimObject): Resources {
  return sumRequests(pod, { cpu: 0, memory: 0 });
}

/** What the scheduler's scoring assumes for a container that requests nothing (schedutil's non-zero defaults). */
const NON_ZERO: Resources = { cpu: 0.1, memory: 200 * 1024 * 1024 };

/**
 * The requests the scheduler scores with: a container without a CPU or memory request counts as 100m
 * and 200Mi, so pods that request nothing still spread over the nodes instead of piling onto the first.
 */
export function podScoringRequests(pod: SimObject): Resources {
  return sumRequests(pod, NON_ZERO);
}

function sumRequests(pod: SimObject, unset: Resources): Resources {
  let cpu = 0;
  let memory = 0;
  for (const container of containersOf(pod)) {
    const resources = (container.resources ?? {}) as { requests?: Dict; limits?: Dict };
    // A container with limits but no requests gets requests equal to its limits (API defaulting).
    const requests = resources.requests ?? resources.limits ?? {};
    cpu += requests.cpu === undefined ? unset.cpu : parseQuantity(requests.cpu);
    memory += requests.memory === undefined ? unset.memory : parseQuantity(requests.memory);
  }
  return { cpu, memory };
}

export function nodeAllocatable(node: SimObject): Resources {
  const status = (node.status ?? {}) as { allocatable?: Dict; capacity?: Dict };
  const allocatable = status.allocatable ?? status.capacity ?? {};
  return { cpu: parseQuantity(allocatable.cpu), memory: parseQuantity(allocatable.memory) };
}

export function isTerminal(pod: SimObject): boolean {
  const phase = (pod.status as Dict | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
