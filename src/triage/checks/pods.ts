import type { KEvent, Pod } from '../k8s.js';
import { describeRef, refKey } from '../owners.js';
import { templateSinceMs } from '../rollout-dates.js';
import { allPods } from '../snapshot.js';
import { formatClock } from '../time.js';
import type { ObjectRef } from '../types.js';
import { type Check, type CheckContext, type DraftFinding, draft } from './check.js';
import { jobOutcome } from './job-outcome.js';
import { classifyPod, type PodIssue } from './pod-issues.js';
import { canBeginInReplacedPods, failureBeganInReplacedPods, replacedPodEvents } from './replaced-pods.js';

/** Warning events by the uid of the object they are about (never by name: names are reused). */
export function eventsByUid(events: readonly KEvent[]): Map<string, KEvent[]> {
  const byUid = new Map<string, KEvent[]>();
  for (const event of events) {
    const uid = event.involvedObject?.uid;
    if (!uid || event.type !== 'Warning') continue;
    const list = byUid.get(uid);
    if (list) list.push(event);
    else byUid.set(uid, [event]);
  }
  return byUid;
}

interface Group {
  workload: ObjectRef;
  issue: PodIssue;
  pods: Pod[];
  evidence: Set<string>;
  sinceMs?: number;
  /** Set when the failure began in pods since replaced: says when and in which. */
  began?: string;
}

const MAX_OBJECTS = 10;
const MAX_EVIDENCE = 6;

/** Pod problems, grouped per owning workload and reason: a 300-replica crash is one finding. */
export const podsCheck: Check = {
  name: 'pods',
  needs: ['pods', 'events', 'replicasets', 'jobs'],
  requires: ['pods'],
  run(context) {
    const events = eventsByUid(context.snapshot.events);
    const groups = new Map<string, Group>();
    for (const pod of allPods(context.snapshot)) {
      const issue = classifyPod(pod, {
        now: context.now,
        sinceMs: context.sinceMs,
        events: events.get(pod.metadata.uid ?? '') ?? [],
      });
      if (!issue) continue;
      const workload = context.owners.workloadOf(pod).ref;
      const key = `${refKey(workload)}#${issue.reason}`;
      let group = groups.get(key);
      if (!group) {
        group = { workload, issue, pods: [], evidence: new Set() };
        groups.set(key, group);
      }
      group.pods.push(pod);
      for (const line of issue.evidence) if (line && group.evidence.size < MAX_EVIDENCE) group.evidence.add(line);
      if (issue.sinceMs !== undefined) group.sinceMs = Math.min(group.sinceMs ?? issue.sinceMs, issue.sinceMs);
    }
    redateFromReplacedPods([...groups.values()], context);
    return { findings: [...groups.values()].map((group) => toFinding(group, context)) };
  },
};

/** A failure that went on from pods since replaced (a restart that did not help) is dated from them. */
function redateFromReplacedPods(groups: Group[], context: CheckContext): void {
  let replaced: Map<string, KEvent[]> | undefined;
  for (const group of groups) {
    if (group.sinceMs === undefined || !canBeginInReplacedPods(group.issue.reason)) continue;
    // A Deployment's ReplicaSets tell which template the replaced pods ran; without them, no guess.
    const deployment =
      group.workload.kind === 'Deployment'
        ? context.owners.find('Deployment', group.workload.namespace, group.workload.name)
        : undefined;
    const templateSince = deployment ? templateSinceMs(context.snapshot, deployment) : undefined;
    if (templateSince === undefined) continue;
    replaced ??= replacedPodEvents(
      context.snapshot.events,
      new Set(allPods(context.snapshot).map((pod) => pod.metadata.uid ?? '')),
      context.owners,
    );
    const earlier = failureBeganInReplacedPods(
      group.workload,
      group.issue.reason,
      group.sinceMs,
      replaced,
      templateSince,
    );
    if (!earlier) continue;
    group.sinceMs = earlier.sinceMs;
    group.began = earlier.line;
  }
}

function toFinding(group: Group, context: CheckContext): DraftFinding {
  const { workload, issue, pods } = group;
  const total = Math.max(context.owners.podCount(workload), pods.length);
  const all = pods.length === total;
  const severity = issue.level === 'high' ? (all ? 'critical' : 'warning') : issue.level;
  const since = group.sinceMs === undefined ? '' : ` since ${formatClock(group.sinceMs)}`;
  const outcome = jobOutcome(workload, context.snapshot.jobs);
  const title = outcome
    ? `${describeRef(workload)} ${outcome.title}: ${pods.length} pod${pods.length === 1 ? '' : 's'} ${issue.verb}${since}`
    : workload.kind === 'Pod'
      ? `pod ${workload.namespace}/${workload.name} ${issue.verb}${since}`
      : `${pods.length}/${total} pods of ${describeRef(workload)} ${issue.verb}${since}`;
  return draft({
    check: 'pods',
    severity,
    reason: issue.reason,
    title,
    workload,
    objects: pods
      .slice(0, MAX_OBJECTS)
      .map((pod) => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name })),
    count: pods.length,
    since: group.sinceMs === undefined ? undefined : new Date(group.sinceMs).toISOString(),
    firstFailureMs: group.sinceMs,
    evidence: [...(outcome?.evidence ?? []), ...(group.began ? [group.began] : []), ...group.evidence],
    uids: pods.map((pod) => pod.metadata.uid ?? '').filter(Boolean),
  });
}
