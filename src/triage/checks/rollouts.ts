import { listRollouts } from '../changes.js';
import type { Workload } from '../k8s.js';
import type { Mitigation } from '../mitigations.js';
import { describeRef } from '../owners.js';
import { ownedReplicaSets } from '../revision.js';
import { listRevisionMoves } from '../revision-changes.js';
import { describeRollout } from '../template-changes.js';
import { formatAge, toMs } from '../time.js';
import type { ObjectRef } from '../types.js';
import { type Check, type CheckContext, type DraftFinding, draft } from './check.js';

/** Rollouts stalled, in progress or finished recently; workloads with unavailable replicas. */
export const rolloutsCheck: Check = {
  name: 'rollouts',
  needs: ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerRevisions', 'events'],
  requires: ['deployments'],
  run(context) {
    const findings: DraftFinding[] = [];
    for (const deployment of context.snapshot.deployments) findings.push(...deploymentFindings(deployment, context));
    for (const set of context.snapshot.statefulsets) findings.push(...statefulSetFindings(set));
    for (const set of context.snapshot.daemonsets) findings.push(...daemonSetFindings(set));
    findings.push(...recentRolloutFindings(context));
    return { findings };
  },
};

/** A recent move of any workload to a new revision, as the information a responder weighs. */
interface RecentRollout {
  ref: ObjectRef;
  description: string;
  atMs: number;
  previousRevision?: number;
  revision: number;
  changeCause?: string;
  mitigation?: Mitigation;
  uids: string[];
}

/** Every rollout in the window: Deployments' by their ReplicaSets, StatefulSets' and DaemonSets' by their revisions. */
function recentRolloutFindings(context: CheckContext): DraftFinding[] {
  const deployments = listRollouts(context.snapshot, context.mitigations).map(
    (rollout): RecentRollout => ({
      ref: refOf('Deployment', rollout.deployment),
      description: describeRollout(rollout),
      atMs: rollout.atMs,
      previousRevision: rollout.previousRevision,
      revision: rollout.revision,
      changeCause: rollout.changeCause,
      mitigation: rollout.mitigation,
      uids: [rollout.deployment.metadata.uid ?? '', rollout.newReplicaSet.metadata.uid ?? ''].filter(Boolean),
    }),
  );
  const others = listRevisionMoves(context.snapshot, context.mitigations).map(
    (move): RecentRollout => ({ ...move, ref: move.workload, description: describeRollout(move) }),
  );
  const from = context.now - context.sinceMs;
  return [...deployments, ...others]
    .filter((rollout) => rollout.atMs >= from)
    .map((rollout) => recentRolloutFinding(rollout, context.now));
}

function recentRolloutFinding(rollout: RecentRollout, now: number): DraftFinding {
  const own = rollout.mitigation;
  return draft({
    check: 'rollouts',
    severity: 'info',
    reason: own ? 'IncMitigation' : 'RecentRollout',
    title: `${describeRef(rollout.ref)}: ${rollout.description} ${formatAge(now - rollout.atMs)} ago${own ? ", inc's mitigation in this incident" : ''}`,
    workload: rollout.ref,
    objects: [rollout.ref],
    since: new Date(rollout.atMs).toISOString(),
    evidence: [
      `revision ${rollout.previousRevision ?? '?'} → ${rollout.revision}`,
      own ? `recorded by this incident: ${own.summary} (action ${own.actionId})` : '',
      rollout.changeCause ? `change-cause: ${rollout.changeCause}` : '',
    ].filter(Boolean),
    uids: rollout.uids,
  });
}

function refOf(kind: string, object: Workload): ObjectRef {
  return { kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

function deploymentFindings(deployment: Workload, context: CheckContext): DraftFinding[] {
  const ref = refOf('Deployment', deployment);
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const uids = [
    deployment.metadata.uid ?? '',
    ...ownedReplicaSets(context.snapshot, deployment).map((rs) => rs.metadata.uid ?? ''),
  ].filter(Boolean);
  const findings: DraftFinding[] = [];
  const stalled = stalledRollout(deployment, ref, uids);
  if (stalled) findings.push(stalled);
  findings.push(...replicaFailures(deployment, ref, uids, context));
  const available = status.availableReplicas ?? 0;
  const unavailable = status.unavailableReplicas ?? Math.max(0, desired - available);
  // A rollout's surge pod not yet available while every desired replica is: full capacity, the
  // rollout's progress is what to tell (below), not "3/3 replicas available" as a warning.
  if (desired > 0 && unavailable > 0 && available < desired) {
    findings.push(
      draft({
        check: 'rollouts',
        severity: available === 0 ? 'critical' : 'warning',
        reason: 'UnavailableReplicas',
        title: `${describeRef(ref)}: ${available}/${desired} replicas available`,
        workload: ref,
        objects: [ref],
        evidence: [
          `${unavailable} unavailable, ${status.updatedReplicas ?? 0} updated, ${status.readyReplicas ?? 0} ready`,
        ],
        uids,
      }),
    );
  }
  const inProgress =
    (status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0) ||
    (status.updatedReplicas ?? desired) < desired;
  if (inProgress && findings.length === 0) {
    findings.push(
      draft({
        check: 'rollouts',
        severity: 'info',
        reason: 'RolloutInProgress',
        title: `rollout of ${describeRef(ref)} in progress: ${status.updatedReplicas ?? 0}/${desired} updated`,
        workload: ref,
        objects: [ref],
        uids,
      }),
    );
  }
  return findings;
}

/** kube's ProgressDeadlineExceeded: the rollout stopped making progress. */
function stalledRollout(deployment: Workload, ref: ObjectRef, uids: string[]): DraftFinding | undefined {
  const status = deployment.status ?? {};
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return undefined;
  const at = toMs(progressing.lastTransitionTime);
  return draft({
    check: 'rollouts',
    severity: 'critical',
    reason: 'ProgressDeadlineExceeded',
    title: `rollout of ${describeRef(ref)} stalled (ProgressDeadlineExceeded)`,
    workload: ref,
    objects: [ref],
    since: at === undefined ? undefined : new Date(at).toISOString(),
    firstFailureMs: at,
    evidence: [
      progressing.message ?? '',
      `${status.updatedReplicas ?? 0}/${deployment.spec?.replicas ?? 1} updated, ${status.availableReplicas ?? 0} available`,
    ].filter(Boolean),
    uids,
  });
}

/** ReplicaSets that cannot create their pods (quota, admission): the pods never appear to fail. */
function replicaFailures(deployment: Workload, ref: ObjectRef, uids: string[], context: CheckContext): DraftFinding[] {
  return ownedReplicaSets(context.snapshot, deployment).flatMap((rs) => {
    const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (!failure) return [];
    return [
      draft({
        check: 'rollouts',
        severity: 'critical',
        reason: failure.reason ?? 'ReplicaFailure',
        title: `${describeRef(ref)} cannot create pods (${failure.reason ?? 'ReplicaFailure'})`,
        workload: ref,
        objects: [refOf('ReplicaSet', rs)],
        evidence: [failure.message ?? ''],
        uids,
      }),
    ];
  });
}

function statefulSetFindings(set: Workload): DraftFinding[] {
  const ref = refOf('StatefulSet', set);
  const status = set.status ?? {};
  const desired = set.spec?.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  const uids = [set.metadata.uid ?? ''].filter(Boolean);
  if (desired > 0 && ready < desired) {
    const rolling = status.updateRevision && status.currentRevision && status.updateRevision !== status.currentRevision;
    return [
      draft({
        check: 'rollouts',
        severity: ready === 0 ? 'critical' : 'warning',
        reason: 'UnavailableReplicas',
        title: `${describeRef(ref)}: ${ready}/${desired} replicas ready${rolling ? ' (rollout in progress)' : ''}`,
        workload: ref,
        objects: [ref],
        evidence: rolling ? [`revision ${status.currentRevision} → ${status.updateRevision}`] : [],
        uids,
      }),
    ];
  }
  return [];
}

function daemonSetFindings(set: Workload): DraftFinding[] {
  const ref = refOf('DaemonSet', set);
  const status = set.status ?? {};
  const desired = status.desiredNumberScheduled ?? 0;
  const unavailable = status.numberUnavailable ?? Math.max(0, desired - (status.numberReady ?? 0));
  if (desired === 0 || unavailable === 0) return [];
  return [
    draft({
      check: 'rollouts',
      severity: (status.numberReady ?? 0) === 0 ? 'critical' : 'warning',
      reason: 'UnavailableReplicas',
      title: `${describeRef(ref)}: ${status.numberReady ?? 0}/${desired} pods ready`,
      workload: ref,
      objects: [ref],
      evidence: [`${unavailable} unavailable`],
      uids: [set.metadata.uid ?? ''].filter(Boolean),
    }),
  ];
}
