import { type Clock, sleepUnlessAborted } from '../../clock.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { deletePlannedPod, isReschedulable, type PodDeleteOutcome } from './pods.js';

/** A pod drain moves, as planned (its uid tells a same-named replacement apart). */
export interface DrainPod {
  namespace: string;
  name: string;
  uid?: string;
  /** Already being deleted: on a node that does not answer it stays Terminating until force-deleted. */
  terminating: boolean;
}

/** Why an eviction was refused: the budget (when the server named it) and its words. */
export interface EvictionBlock {
  budget?: string;
  message: string;
}

export type EvictionOutcome = { kind: 'evicted' | 'gone' | 'replaced' } | ({ kind: 'blocked' } & EvictionBlock);

export interface DrainSelection {
  pods: DrainPod[];
  /** DaemonSet and mirror pods (they come back on the same node), and pods no controller recreates. */
  skipped: { daemonSet: number; mirror: number; unmanaged: string[] };
}

const key = (pod: { namespace: string; name: string }) => `${pod.namespace}/${pod.name}`;

/**
 * The pods of a node that a drain evicts, as kubectl drain filters them: DaemonSet pods are
 * ignored (their controller puts them back on the same node), mirror pods cannot be evicted, and a
 * pod without a controller is left alone (evicting it would lose it; kubectl asks for --force).
 */
export function selectDrainPods(pods: readonly RawObject[]): DrainSelection {
  const skipped = { daemonSet: 0, mirror: 0, unmanaged: [] as string[] };
  const selected: DrainPod[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata.namespace ?? 'default';
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) skipped.mirror += 1;
    else if ((pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet')) skipped.daemonSet += 1;
    else if (!isReschedulable(pod)) skipped.unmanaged.push(`${namespace}/${pod.metadata.name}`);
    else
      selected.push({
        namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        terminating: Boolean(pod.metadata.deletionTimestamp),
      });
  }
  return { pods: selected, skipped };
}

export function podPath(pod: { namespace: string; name: string }, subresource?: string): string {
  const base = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** A 429 that names a DisruptionBudget cause is a budget's refusal; any other 429 is throttling. */
function blockOf(error: unknown): EvictionBlock | undefined {
  const e = error as { status?: number; body?: { message?: string; details?: { causes?: unknown[] } } };
  if (e.status !== 429) return undefined;
  const causes = (e.body?.details?.causes ?? []) as { reason?: string; type?: string; message?: string }[];
  const cause = causes.find((c) => c.reason === 'DisruptionBudget' || c.type === 'DisruptionBudget');
  const budget = cause?.message ? /disruption budget (\S+)/.exec(cause.message)?.[1] : undefined;
  return {
    budget,
    message: cause?.message ?? e.body?.message ?? 'the API server asked to retry the eviction later (429)',
  };
}

/**
 * Asks the API server to evict one pod (POST policy/v1 Eviction), as kubectl drain does: the
 * server refuses with 429 while a PodDisruptionBudget allows no disruption. The pod is read first,
 * so a replacement of the same name (a StatefulSet's) is never evicted in its place.
 */
export async function evictPod(kube: KubeAccess, pod: DrainPod, dryRun: boolean): Promise<EvictionOutcome> {
  try {
    const current = await kube.get<RawObject>(podPath(pod));
    if (pod.uid && current.metadata.uid !== pod.uid) return { kind: 'replaced' };
    await kube.request({
      method: 'POST',
      path: podPath(pod, 'eviction'),
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace } },
      query: dryRun ? { dryRun: 'All' } : undefined,
    });
    return { kind: 'evicted' };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { kind: 'gone' };
    const block = blockOf(error);
    if (block) return { kind: 'blocked', ...block };
    throw error;
  }
}

export interface EvictAllOptions {
  clock: Clock;
  signal: AbortSignal;
  timeoutMs: number;
  onStatus: (message: string) => void;
}

export interface EvictAllResult {
  evicted: DrainPod[];
  blocked: Map<string, { pod: DrainPod } & EvictionBlock>;
}

/** Pauses between rounds of refused evictions: 1 s, 2 s, 4 s, then every 5 s as kubectl drain retries. */
export function retryDelayMs(round: number): number {
  return Math.min(1000 * 2 ** round, 5000);
}

/**
 * Evicts every pod; those a budget refuses are tried again, round after round, until none is left
 * or `timeoutMs` (on the one clock) has passed. What is still refused then is returned with why.
 */
export async function evictAll(
  kube: KubeAccess,
  pods: readonly DrainPod[],
  options: EvictAllOptions,
): Promise<EvictAllResult> {
  const deadline = options.clock.now().getTime() + options.timeoutMs;
  const evicted: DrainPod[] = [];
  let pending = [...pods];
  const blocked = new Map<string, { pod: DrainPod } & EvictionBlock>();
  for (let round = 0; pending.length > 0; round++) {
    blocked.clear();
    for (const pod of pending) {
      const outcome = await evictPod(kube, pod, false);
      if (outcome.kind === 'evicted') evicted.push(pod);
      if (outcome.kind === 'blocked') blocked.set(key(pod), { pod, budget: outcome.budget, message: outcome.message });
    }
    pending = [...blocked.values()].map((b) => b.pod);
    if (pending.length === 0) break;
    options.onStatus(`${evicted.length} evicted, ${pending.length} refused by a disruption budget for now`);
    const left = deadline - options.clock.now().getTime();
    if (left <= 0) break;
    if (!(await sleepUnlessAborted(options.clock, Math.min(retryDelayMs(round), left), options.signal))) break;
  }
  return { evicted, blocked };
}

/** "PodDisruptionBudget shop/cache (…needs 3 healthy pods and has 3 currently): shop/cache-1, shop/cache-2". */
export function describeBlocks(blocked: EvictAllResult['blocked']): string[] {
  const byBudget = new Map<string, { message: string; pods: string[] }>();
  for (const { pod, budget, message } of blocked.values()) {
    const name = budget ? `PodDisruptionBudget ${pod.namespace}/${budget}` : 'the API server (429)';
    const entry = byBudget.get(name) ?? { message, pods: [] };
    entry.pods.push(key(pod));
    byBudget.set(name, entry);
  }
  return [...byBudget].map(([name, { message, pods }]) => `${name} (${message}): ${pods.join(', ')}`);
}

/**
 * Deletes a pod drain could not evict (only with forceDelete): a pod already terminating on a node
 * that does not answer is removed at once (grace period 0, as `kubectl delete --force`).
 */
export function deleteDrainPod(kube: KubeAccess, pod: DrainPod): Promise<PodDeleteOutcome> {
  const request = {
    method: 'DELETE' as const,
    path: podPath(pod),
    query: pod.terminating ? { gracePeriodSeconds: '0' } : undefined,
  };
  return deletePlannedPod(
    kube,
    { target: { kind: 'Pod', ...pod }, summary: '', before: {}, fields: [], request },
    pod.uid,
  );
}
