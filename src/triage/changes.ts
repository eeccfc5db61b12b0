import type { Change } from './change.js';
import { describeConfigChange, listConfigChanges } from './config-changes.js';
import type { KEvent, Workload } from './k8s.js';
import { argoApplicationOf, helmReleaseOf } from './managed-by.js';
import { type Mitigation, mitigationOfReplicaSet, mitigationOfScale } from './mitigations.js';
import { workloadsSelectedBy } from './network-policy-reach.js';
import { ownedReplicaSets, revisionOf } from './revision.js';
import { revisionChanges } from './revision-changes.js';
import { movedToRevisionAt } from './rollout-dates.js';
import type { Snapshot } from './snapshot.js';
import { describeRollout, imageChange, isRestart } from './template-changes.js';
import { eventFirstSeen, eventLastSeen, toMs } from './time.js';
import type { ObjectRef } from './types.js';

/** Clocks and event times are coarse: a change this much after a first failure may still explain it. */
const REACH_SLACK_MS = 60_000;

/**
 * The newest change of `kind` (a config edit, a NetworkPolicy) that reaches the workload (its
 * `referencedBy` names it) and came before the first failure; inc's own mitigations never count.
 */
export function latestChangeReaching(
  changes: readonly Change[],
  kind: Change['kind'],
  target: ObjectRef,
  firstFailureMs = Number.POSITIVE_INFINITY,
): Change | undefined {
  return changesReaching(changes, kind, target, firstFailureMs)[0];
}

/** Every change of `kind` that reaches the workload and came before the first failure, newest first. */
export function changesReaching(
  changes: readonly Change[],
  kind: Change['kind'],
  target: ObjectRef,
  firstFailureMs = Number.POSITIVE_INFINITY,
): Change[] {
  return changes
    .filter(
      (c) =>
        c.kind === kind &&
        !c.mitigation &&
        c.atMs <= firstFailureMs + REACH_SLACK_MS &&
        !!c.referencedBy?.some(
          (ref) => ref.kind === target.kind && ref.namespace === target.namespace && ref.name === target.name,
        ),
    )
    .sort((a, b) => b.atMs - a.atMs);
}

export interface Rollout {
  deployment: Workload;
  revision: number;
  previousRevision?: number;
  atMs: number;
  imageFrom?: string;
  imageTo?: string;
  changeCause?: string;
  newReplicaSet: Workload;
  /** Only `kubectl.kubernetes.io/restartedAt` changed: the same version, restarted. */
  restart: boolean;
  /** Set when inc made this rollout in the current incident. */
  mitigation?: Mitigation;
}

/**
 * The latest rollout of every deployment that has a previous revision, dated by when the deployment
 * moved to it. When that rollout is inc's own mitigation, the rollout it moved away from is listed
 * too: that one is still a suspect.
 */
export function listRollouts(snapshot: Snapshot, mitigations: readonly Mitigation[] = []): Rollout[] {
  const rollouts: Rollout[] = [];
  const scaleEvents = snapshot.events.filter((event) => event.reason === 'ScalingReplicaSet');
  for (const deployment of snapshot.deployments) {
    const owned = ownedReplicaSets(snapshot, deployment).sort((a, b) => revisionOf(b) - revisionOf(a));
    const [current, previous] = owned;
    if (!current || revisionOf(current) <= 1 || !previous) continue;
    const meta = deployment.metadata;
    const ref = { kind: 'Deployment', namespace: meta.namespace, name: meta.name };
    const mitigation =
      mitigationOfReplicaSet(ref, current, mitigations) ?? helmMitigationOf(deployment, current, mitigations);
    const latest = rolloutTo(deployment, current, previous, owned, scaleEvents, mitigation);
    rollouts.push(latest);
    // The mitigation moved away from `previous`; the revision before that is what it replaced.
    const before = owned[2] ?? current;
    if (mitigation && revisionOf(previous) > 1)
      rollouts.push(rolloutTo(deployment, previous, before, owned, scaleEvents, undefined, latest.atMs));
  }
  return rollouts;
}

/**
 * A helm rollback of this incident that the rollout is the result of: the deployment belongs to the
 * release, and its new pods run the app version the rollback restored. A rollback records no pod
 * template to compare, and the cluster's clock may not be this machine's; without that evidence, no
 * attribution (the rollout is then listed as any other).
 */
function helmMitigationOf(
  deployment: Workload,
  replicaSet: Workload,
  mitigations: readonly Mitigation[],
): Mitigation | undefined {
  const release = helmReleaseOf(deployment);
  if (!release) return undefined;
  const images = (replicaSet.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
  return [...mitigations].reverse().find((m) => {
    if (m.action !== 'helm.rollback' || m.target.kind !== 'HelmRelease') return false;
    if (m.target.name !== release.name || (m.target.namespace ?? '') !== release.namespace) return false;
    const version = (m.after?.release as { app_version?: string } | undefined)?.app_version;
    return Boolean(version) && images.some((image) => image.endsWith(`:${version}`));
  });
}

function rolloutTo(
  deployment: Workload,
  to: Workload,
  from: Workload,
  owned: readonly Workload[],
  scaleEvents: readonly KEvent[],
  mitigation: Mitigation | undefined,
  movedOnAt?: number,
): Rollout {
  const [imageFrom, imageTo] = imageChange(from, to);
  return {
    deployment,
    revision: revisionOf(to),
    previousRevision: revisionOf(from),
    atMs: movedToRevisionAt(deployment, to, owned, scaleEvents, movedOnAt),
    imageFrom,
    imageTo,
    changeCause: to.metadata.annotations?.['kubernetes.io/change-cause'],
    newReplicaSet: to,
    restart: isRestart(from, to),
    ...(mitigation ? { mitigation } : {}),
  };
}

/** Every change in the window: rollouts, scale-ups, NetworkPolicy edits, nodes going bad, Argo CD syncs. */
export function listChanges(
  snapshot: Snapshot,
  now: number,
  sinceMs: number,
  mitigations: readonly Mitigation[] = [],
): Change[] {
  const from = now - sinceMs;
  const changes: Change[] = [];
  const rollouts = listRollouts(snapshot, mitigations);
  for (const rollout of rollouts) {
    if (rollout.atMs < from) continue;
    const meta = rollout.deployment.metadata;
    changes.push({
      workload: { kind: 'Deployment', namespace: meta.namespace, name: meta.name },
      kind: 'rollout',
      description: describeRollout(rollout),
      atMs: rollout.atMs,
      detail:
        [rollout.changeCause ? `change-cause: ${rollout.changeCause}` : '', managedBy(snapshot, rollout.deployment)]
          .filter(Boolean)
          .join('; ') || undefined,
      ...(rollout.mitigation ? { mitigation: rollout.mitigation } : {}),
      ...(rollout.restart ? { restart: true } : {}),
    });
  }
  changes.push(...revisionChanges(snapshot, from, mitigations));
  changes.push(...scaleUps(snapshot, from, rollouts, mitigations));
  for (const config of listConfigChanges(snapshot, from)) {
    changes.push({
      workload: config.config,
      kind: 'config',
      description: describeConfigChange(config),
      atMs: config.atMs,
      referencedBy: config.referencedBy,
    });
  }
  for (const policy of snapshot.networkPolicies) {
    const created = toMs(policy.metadata.creationTimestamp) ?? 0;
    const changed = Math.max(created, ...(policy.metadata.managedFields ?? []).map((entry) => toMs(entry.time) ?? 0));
    if (changed < from) continue;
    changes.push({
      workload: { kind: 'NetworkPolicy', namespace: policy.metadata.namespace, name: policy.metadata.name },
      kind: 'network-policy',
      description: changed - created < 1000 ? 'NetworkPolicy created' : 'NetworkPolicy changed',
      atMs: changed,
      referencedBy: workloadsSelectedBy(snapshot, policy),
    });
  }
  for (const node of snapshot.nodes) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const at = toMs(ready?.lastTransitionTime);
    if (!ready || ready.status === 'True' || at === undefined || at < from) continue;
    changes.push({
      workload: { kind: 'Node', name: node.metadata.name },
      kind: 'node',
      description: `node became ${ready.status === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'NotReady'}`,
      atMs: at,
    });
  }
  return changes;
}

/** Who applies a deployment's changes: an Argo CD application or a Helm release, when either does. */
function managedBy(snapshot: Snapshot, deployment: Workload): string {
  const app = argoApplicationOf(deployment, snapshot.applications);
  if (app) {
    const revision = app.status?.sync?.revision ?? app.status?.operationState?.syncResult?.revision;
    return `synced by Argo CD application ${app.metadata.namespace}/${app.metadata.name}${revision ? ` at revision ${revision.slice(0, 7)}` : ''}`;
  }
  const release = helmReleaseOf(deployment);
  if (release) {
    const chart = deployment.metadata.labels?.['helm.sh/chart'];
    return `applied by Helm release ${release.namespace}/${release.name}${chart ? ` (chart ${chart})` : ''}`;
  }
  return '';
}

/** "Scaled up replica set X to 3 from 1" (older clusters: "from 1 to 3", or no from). */
const SCALED = /Scaled up replica set (\S+)(?: from (\d+))? to (\d+)(?: from (\d+))?/;

/**
 * Scale-ups that were not part of a rollout: the ReplicaSet already existed before the event. An
 * aggregated event is dated by its last time: the same scale-up repeats when an undo re-adopts a
 * ReplicaSet again.
 */
function scaleUps(snapshot: Snapshot, from: number, rollouts: Rollout[], mitigations: readonly Mitigation[]): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  const sorted = [...snapshot.events]
    .filter((e) => e.reason === 'ScalingReplicaSet')
    .sort((a, b) => (eventLastSeen(b) ?? 0) - (eventLastSeen(a) ?? 0));
  for (const event of sorted) {
    const match = SCALED.exec(event.message ?? '');
    const at = eventLastSeen(event);
    if (!match || at === undefined || at < from) continue;
    const rs = snapshot.replicasets.find(
      (r) => r.metadata.name === match[1] && r.metadata.namespace === event.involvedObject?.namespace,
    );
    const rsCreated = toMs(rs?.metadata.creationTimestamp);
    if (!rs || rsCreated === undefined || at - rsCreated < 60_000 || !isCurrent(snapshot, rs)) continue;
    const deploymentName = event.involvedObject?.name ?? '';
    const rollout = rollouts.find(
      (r) =>
        r.deployment.metadata.name === deploymentName &&
        r.deployment.metadata.namespace === event.involvedObject?.namespace &&
        (Math.abs(r.atMs - at) < 60_000 || stepOf(r, match[1] ?? '', at)),
    );
    if (rollout || seen.has(deploymentName)) continue;
    seen.add(deploymentName);
    const change = scaleChange(
      event,
      deploymentName,
      match[2] ?? match[4] ?? previousScale(sorted, match[1] ?? '', at),
      match[3] ?? '?',
      at,
    );
    const mitigation = mitigationOfScale(change.workload, Number(match[3]), mitigations);
    changes.push(mitigation ? { ...change, mitigation } : change);
  }
  return changes;
}

/**
 * Whether a ReplicaSet holds its Deployment's latest revision: a Deployment's scale moves only that
 * one; an older ReplicaSet scales up when a rollout (an undo) moves to it, and that is its rollout.
 */
function isCurrent(snapshot: Snapshot, replicaSet: Workload): boolean {
  const owner = replicaSet.metadata.ownerReferences?.find((ref) => ref.kind === 'Deployment');
  const deployment = snapshot.deployments.find(
    (d) => d.metadata.namespace === replicaSet.metadata.namespace && d.metadata.name === owner?.name,
  );
  if (!deployment) return true;
  const revision = revisionOf(replicaSet);
  return ownedReplicaSets(snapshot, deployment).every((other) => revisionOf(other) <= revision);
}

/**
 * A scale-up of the rollout's ReplicaSet between its start and its last progress (the Progressing
 * condition naming it): a step of a rolling update whose pods took a while to become ready.
 */
function stepOf(rollout: Rollout, replicaSet: string, at: number): boolean {
  if (rollout.newReplicaSet.metadata.name !== replicaSet || at < rollout.atMs - 60_000) return false;
  const progressing = rollout.deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (!progressing?.message?.includes(`"${replicaSet}"`)) return false;
  const last = toMs(progressing.lastUpdateTime) ?? toMs(progressing.lastTransitionTime);
  return last !== undefined && at <= last + 60_000;
}

/** The replica count a ReplicaSet was scaled to before `at`, from the previous scaling event. */
function previousScale(events: readonly KEvent[], replicaSet: string, at: number): string | undefined {
  for (const event of events) {
    const up = SCALED.exec(event.message ?? '');
    const match = up
      ? [up[1], up[3]]
      : /Scaled down replica set (\S+)(?: from \d+)? to (\d+)/.exec(event.message ?? '')?.slice(1);
    const when = eventFirstSeen(event) ?? 0;
    if (match && match[0] === replicaSet && when < at) return match[1];
  }
  return undefined;
}

function scaleChange(event: KEvent, name: string, fromReplicas: string | undefined, to: string, at: number): Change {
  return {
    workload: { kind: 'Deployment', namespace: event.involvedObject?.namespace, name },
    kind: 'scale',
    description: `scaled up${fromReplicas ? ` from ${fromReplicas}` : ''} to ${to} replicas`,
    atMs: at,
    previousReplicas: fromReplicas === undefined ? undefined : Number(fromReplicas),
  };
}
