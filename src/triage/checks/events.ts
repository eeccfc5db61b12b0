import type { KEvent } from '../k8s.js';
import { describeRef, refKey } from '../owners.js';
import { allPods } from '../snapshot.js';
import { eventCount, eventFirstSeen, eventLastSeen, formatAge, formatClock } from '../time.js';
import type { ObjectRef } from '../types.js';
import { type Attachment, type Check, type DraftFinding, draft } from './check.js';
import { ownerOfGonePod } from './replaced-pods.js';

/** Pod events whose meaning the pods check already judged (with its grace periods): not repeated here. */
const POD_STATE_REASONS = new Set([
  'BackOff',
  'Failed',
  'ErrImagePull',
  'ImagePullBackOff',
  'Unhealthy',
  'FailedScheduling',
  'FailedMount',
  'FailedAttachVolume',
  'FailedCreatePodSandBox',
  'Killing',
  'Evicted',
  'ExceededGracePeriod',
]);

interface Aggregate {
  reason: string;
  /**
   * How often it happened: per object, its most repeated message, summed over the objects. A kubelet
   * says one failed image pull three ways (the pull error, ErrImagePull, ImagePullBackOff), each its
   * own event of reason Failed: counted once, not three times.
   */
  count: number;
  firstMs: number;
  lastMs: number;
  /** The message that says most: the most repeated, the longest of those (the pull error, not "Error: ImagePullBackOff"). */
  message: string;
  /** Each distinct message with its count, over every object. */
  messages: Map<string, number>;
  /** Each object's messages with their counts. */
  perObject: Map<string, Map<string, number>>;
  objects: Map<string, ObjectRef>;
  uids: Set<string>;
}

/**
 * Warning events in the window, aggregated by object and reason with counts. Events about objects
 * that already have a finding become its evidence (matched by uid); the rest are findings here.
 */
export const eventsCheck: Check = {
  name: 'events',
  needs: ['events', 'pods'],
  requires: ['events'],
  late: true,
  run(context, prior) {
    const byUid = new Map<string, DraftFinding>();
    for (const finding of prior) for (const uid of finding.uids) byUid.set(uid, finding);
    const failing = new Set(prior.flatMap((finding) => (finding.workload ? [refKey(finding.workload)] : [])));
    const podsByUid = new Map(allPods(context.snapshot).map((pod) => [pod.metadata.uid ?? '', pod]));
    const attached = new Map<string, Aggregate>();
    const loose = new Map<string, Aggregate & { workload: ObjectRef; gone: boolean }>();
    const from = context.now - context.sinceMs;
    for (const event of context.snapshot.events) {
      if (event.type !== 'Warning') continue;
      const last = eventLastSeen(event);
      if (last === undefined || last < from) continue;
      const uid = event.involvedObject?.uid ?? '';
      const finding = uid ? byUid.get(uid) : undefined;
      if (finding) {
        accumulate(attached, `${finding.uids[0]}#${event.reason}`, event);
        continue;
      }
      const pod = podsByUid.get(uid);
      const involved = event.involvedObject ?? {};
      if (involved.kind === 'Pod' && POD_STATE_REASONS.has(event.reason ?? '') && pod) continue;
      const gonePod = involved.kind === 'Pod' && !pod;
      const workload = pod
        ? context.owners.workloadOf(pod).ref
        : ((gonePod ? ownerOfGonePod(context.owners, involved.namespace, involved.name ?? '') : undefined) ?? {
            kind: involved.kind ?? 'Object',
            namespace: involved.namespace,
            name: involved.name ?? '?',
          });
      // Events of pods replaced since (a rollback, a restart) are history once their workload is healthy.
      if (gonePod && workload.kind !== 'Pod' && !failing.has(refKey(workload))) continue;
      const key = `${refKey(workload)}#${event.reason}`;
      const aggregate = accumulate(loose, key, event) as Aggregate & { workload: ObjectRef; gone: boolean };
      aggregate.workload = workload;
      aggregate.gone = gonePod;
    }
    const attachments: Attachment[] = [...attached.entries()].map(([key, aggregate]) => ({
      uid: key.split('#')[0] ?? '',
      line: describe(aggregate, context.now),
    }));
    // Events that stopped before inc's last mitigation in this incident say so: after a rollback,
    // the OOM kills of the bad version read as history, not as trouble still going on.
    const mitigatedAt = Math.max(...(context.mitigations ?? []).map((m) => m.atMs ?? Number.NEGATIVE_INFINITY));
    const findings = [...loose.values()]
      .sort((a, b) => b.lastMs - a.lastMs)
      .map((aggregate) => {
        const objects = [...aggregate.objects.values()];
        const gone = aggregate.gone ? ' (pods no longer exist)' : '';
        const since =
          !aggregate.gone && aggregate.lastMs < mitigatedAt
            ? `, none since inc's mitigation at ${formatClock(mitigatedAt)}`
            : '';
        return draft({
          check: 'events',
          severity: aggregate.gone ? 'info' : 'warning',
          reason: aggregate.reason,
          title: `${aggregate.reason} on ${describeRef(aggregate.workload)}${gone}: ${aggregate.count}× in the last ${formatAge(context.now - aggregate.firstMs)}${since}`,
          workload: aggregate.workload,
          objects: objects.slice(0, 10),
          count: aggregate.count,
          since: new Date(aggregate.firstMs).toISOString(),
          firstFailureMs: aggregate.firstMs,
          evidence: [describe(aggregate, context.now)],
          uids: [...aggregate.uids],
        });
      });
    return { findings, attachments };
  },
};

function accumulate<T extends Aggregate>(into: Map<string, T>, key: string, event: KEvent): T {
  const first = eventFirstSeen(event) ?? 0;
  const last = eventLastSeen(event) ?? first;
  const involved = event.involvedObject ?? {};
  let aggregate = into.get(key);
  if (!aggregate) {
    aggregate = {
      reason: event.reason ?? 'Unknown',
      count: 0,
      firstMs: first,
      lastMs: last,
      message: '',
      messages: new Map(),
      perObject: new Map(),
      objects: new Map(),
      uids: new Set(),
    } as unknown as T;
    into.set(key, aggregate);
  }
  const message = (event.message ?? '').trim();
  const times = eventCount(event);
  aggregate.messages.set(message, (aggregate.messages.get(message) ?? 0) + times);
  const objectKey = involved.uid ?? `${involved.kind}/${involved.namespace}/${involved.name}`;
  const ofObject = aggregate.perObject.get(objectKey) ?? new Map<string, number>();
  // Kept as they go (thousands of pods' events can fold into one): the object's most repeated
  // message counts, so the total moves by how much that maximum grew.
  const maxBefore = ofObject.size ? Math.max(...ofObject.values()) : 0;
  ofObject.set(message, (ofObject.get(message) ?? 0) + times);
  aggregate.perObject.set(objectKey, ofObject);
  aggregate.count += Math.max(maxBefore, ofObject.get(message) ?? 0) - maxBefore;
  const total = aggregate.messages.get(message) ?? 0;
  const best = aggregate.messages.get(aggregate.message) ?? 0;
  if (total > best || (total === best && message.length > aggregate.message.length)) aggregate.message = message;
  aggregate.firstMs = Math.min(aggregate.firstMs, first);
  aggregate.lastMs = Math.max(aggregate.lastMs, last);
  if (involved.name)
    aggregate.objects.set(`${involved.kind}/${involved.namespace}/${involved.name}`, {
      kind: involved.kind ?? 'Object',
      namespace: involved.namespace,
      name: involved.name,
    });
  if (involved.uid) aggregate.uids.add(involved.uid);
  return aggregate;
}

function describe(aggregate: Aggregate, now: number): string {
  const others = aggregate.messages.size - 1;
  const more = others > 0 ? ` (and ${others} other message${others === 1 ? '' : 's'})` : '';
  return `event ${aggregate.reason} ×${aggregate.count}, last ${formatAge(now - aggregate.lastMs)} ago: ${aggregate.message}${more}`;
}
