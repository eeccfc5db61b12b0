import type { KEvent, Pod } from '../k8s.js';
import { describeRef, type OwnerIndex, refKey } from '../owners.js';
import { eventCount, eventFirstSeen, eventLastSeen, formatClock } from '../time.js';
import type { ObjectRef } from '../types.js';

/**
 * The workload a pod that no longer exists belonged to, from its name: a ReplicaSet's pods are named
 * `RS-xxxxx`, a StatefulSet's `NAME-N`, a DaemonSet's `NAME-xxxxx`. Undefined when none matches.
 */
export function ownerOfGonePod(
  owners: OwnerIndex,
  namespace: string | undefined,
  podName: string,
): ObjectRef | undefined {
  const base = podName.replace(/-[^-]+$/, '');
  if (base === podName) return undefined;
  for (const kind of ['ReplicaSet', 'StatefulSet', 'DaemonSet']) {
    if (!owners.find(kind, namespace, base)) continue;
    const ownerReferences = [{ kind, name: base, controller: true }];
    return owners.workloadOf({ metadata: { namespace, name: podName, ownerReferences } } as Pod).ref;
  }
  return undefined;
}

/** The kubelet's events that say a container kept failing the way a pod finding's reason does. */
const SAME_FAILURE: Record<string, (event: KEvent) => boolean> = {
  CrashLoopBackOff: (event) =>
    event.reason === 'BackOff' && /^Back-off restarting failed container/.test(event.message ?? ''),
  OOMKilled: (event) => event.reason === 'BackOff' && /^Back-off restarting failed container/.test(event.message ?? ''),
  ImagePullBackOff: (event) =>
    (event.reason === 'BackOff' && /^Back-off pulling image/.test(event.message ?? '')) ||
    (event.reason === 'Failed' && /^Failed to pull image/.test(event.message ?? '')),
};

/** Whether a pod finding of this reason can have begun in pods since replaced. */
export const canBeginInReplacedPods = (reason: string): boolean => reason in SAME_FAILURE;

/**
 * A restart or a rollout that did not help replaces failing pods with pods failing the same way: the
 * failure began with the pods before them. A gap longer than this between the old pods' last event
 * and the new pods' first failure is another failure (the kubelet's back-off is at most 5 minutes).
 */
const CONTINUOUS_MS = 10 * 60_000;

/** Warning events of pods that no longer exist, by the workload they belonged to. */
export function replacedPodEvents(
  events: readonly KEvent[],
  livePodUids: ReadonlySet<string>,
  owners: OwnerIndex,
): Map<string, KEvent[]> {
  const byWorkload = new Map<string, KEvent[]>();
  for (const event of events) {
    const involved = event.involvedObject;
    if (event.type !== 'Warning' || involved?.kind !== 'Pod' || !involved.uid || livePodUids.has(involved.uid))
      continue;
    const workload = ownerOfGonePod(owners, involved.namespace, involved.name ?? '');
    if (!workload) continue;
    const key = refKey(workload);
    const list = byWorkload.get(key);
    if (list) list.push(event);
    else byWorkload.set(key, [event]);
  }
  return byWorkload;
}

/**
 * When a workload's failure began, if it began in pods since replaced and went on without a break
 * into the pods failing now, all of its current template (`templateSinceMs`: restarts aside): that
 * time and a line saying so. Undefined otherwise.
 */
export function failureBeganInReplacedPods(
  workload: ObjectRef,
  reason: string,
  sinceMs: number,
  replaced: ReadonlyMap<string, readonly KEvent[]>,
  templateSinceMs: number,
): { sinceMs: number; line: string } | undefined {
  const same = SAME_FAILURE[reason];
  // Pods of another template (before a rollout or a rollback) failed for their own reasons.
  const events = same
    ? (replaced.get(refKey(workload)) ?? []).filter(
        (event) => same(event) && (eventLastSeen(event) ?? eventFirstSeen(event) ?? 0) >= templateSinceMs,
      )
    : [];
  // Walk back from the failure seen now through the replaced pods' failures, as long as each reached
  // within the gap of the one after it.
  const spans = events
    .map((event) => ({ first: eventFirstSeen(event), last: eventLastSeen(event) ?? eventFirstSeen(event), event }))
    .filter((span): span is { first: number; last: number; event: KEvent } => span.first !== undefined)
    .sort((a, b) => b.last - a.last);
  let began = sinceMs;
  const used: KEvent[] = [];
  for (const span of spans) {
    if (span.last < began - CONTINUOUS_MS) break;
    used.push(span.event);
    began = Math.max(templateSinceMs, Math.min(began, span.first));
  }
  if (began >= sinceMs) return undefined;
  const pods = new Set(used.map((event) => event.involvedObject?.uid)).size;
  const times = used.reduce((sum, event) => sum + eventCount(event), 0);
  return {
    sinceMs: began,
    line: `the failure began at ${formatClock(began)} in ${pods} pod${pods === 1 ? '' : 's'} of ${describeRef(workload)} since replaced (event ${used[0]?.reason} ×${times}): the pods failing now fail the same way`,
  };
}
