import type { ClusterFlags } from '../cluster-flags.js';
import type { Change } from './change.js';
import type { DraftFinding } from './checks/check.js';
import type { ConfigManifest } from './config-changes.js';
import type { Workload } from './k8s.js';
import { argoApplicationOf, autoSyncEnabled, helmReleaseOf } from './managed-by.js';
import { type Mitigation, mitigationOfReplicaSet, revisionsRolledAwayFrom } from './mitigations.js';
import { revertCanHelp } from './network-policy-reach.js';
import { ownedReplicaSets, revisionOf } from './revision.js';
import type { Snapshot } from './snapshot.js';
import { suggestForAutoscaled } from './suggest-autoscaler.js';
import { suggestConfigFix } from './suggest-config.js';
import { suggestNetworkRevert } from './suggest-network.js';
import { PLAYBOOK_WORKLOAD_KINDS, suggestionCommand, workloadParams } from './suggestion-command.js';
import type { ObjectRef, Suggestion } from './types.js';

/** The built-in playbooks triage suggests, with the parameters it fills in. */
export const PLAYBOOKS = {
  rollback: 'rollback',
  scale: 'scale',
  argoPauseSync: 'argo-pause-sync',
  helmRollback: 'helm-rollback',
  cordonNode: 'cordon-node',
  restart: 'restart',
  netpolRevert: 'netpol-revert',
} as const;

/** Reasons a bad rollout causes: rolling back is the safe first move when one happened recently. */
const ROLLBACK_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'OOMKilled',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'ProgressDeadlineExceeded',
  'Unhealthy',
  'NotReady',
  'UnavailableReplicas',
  'NoReadyEndpoints',
  'RecentCrash',
  'Error',
  'HighErrorRate',
  'HighLatency',
]);
const NODE_REASONS = new Set(['NodeNotReady', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

export interface SuggestContext {
  snapshot: Snapshot;
  changes: readonly Change[];
  /** `--context` as the user gave it, repeated in the command so it acts on the same cluster. */
  clusterFlags?: ClusterFlags;
  /** inc's own changes in the current incident. */
  mitigations?: readonly Mitigation[];
  /** The git manifests of changed ConfigMaps: `configmap-rollback` can restore those. */
  configManifests?: readonly ConfigManifest[];
}

/** What to run for a finding, with parameters filled in; Argo CD and Helm ownership come first. */
export function suggestFor(finding: DraftFinding, context: SuggestContext): { suggestion?: Suggestion; note?: string } {
  const target = finding.related ?? finding.workload;
  if (!target) return {};
  if (target.kind === 'Node' && finding.check === 'nodes' && NODE_REASONS.has(finding.reason)) {
    return { suggestion: suggestionCommand(PLAYBOOKS.cordonNode, { node: target.name }, context) };
  }
  if (target.kind === 'NetworkPolicy' && finding.check === 'network' && target.namespace) {
    // A policy that drops nothing, or whose drops another policy's rules decide, is not the one to revert.
    const policy = context.snapshot.networkPolicies.find(
      (p) => p.metadata.namespace === target.namespace && p.metadata.name === target.name,
    );
    if (!policy || !revertCanHelp(context.snapshot, policy)) return {};
    const params = { namespace: target.namespace, policy: target.name };
    return { suggestion: suggestionCommand(PLAYBOOKS.netpolRevert, params, context) };
  }
  const cutOff = suggestNetworkRevert(finding, target, context);
  if (cutOff) return cutOff;
  if (!PLAYBOOK_WORKLOAD_KINDS.has(target.kind) || !target.namespace) return {};
  if (ROLLBACK_REASONS.has(finding.reason)) {
    const configFix = suggestConfigFix(finding, target, context);
    if (configFix) return configFix;
  }
  const deployment = workloadOf(context.snapshot, target);
  const autoscaled = suggestForAutoscaled(finding, target, context);
  if (autoscaled && !autoscaled.suggestion) return autoscaled;
  const mitigation = autoscaled?.suggestion ?? mitigationFor(finding, target, deployment, context);
  if (!mitigation) return { note: afterOwnChange(finding, target, context) };
  const app = deployment ? argoApplicationOf(deployment, context.snapshot.applications) : undefined;
  if (app && autoSyncEnabled(app)) {
    const appRef = `${app.metadata.namespace}/${app.metadata.name}`;
    return {
      suggestion: suggestionCommand(
        PLAYBOOKS.argoPauseSync,
        { namespace: app.metadata.namespace ?? 'argocd', app: app.metadata.name },
        context,
      ),
      note: `managed by Argo CD application ${appRef} with automated sync: pause its auto-sync first, or a ${mitigation.playbook} would be reverted; then run ${mitigation.command}`,
    };
  }
  const release = deployment ? helmReleaseOf(deployment, app) : undefined;
  if (release && mitigation.playbook === PLAYBOOKS.rollback) {
    return {
      suggestion: suggestionCommand(
        PLAYBOOKS.helmRollback,
        { namespace: release.namespace, release: release.name },
        context,
      ),
      note: `managed by Helm release ${release.namespace}/${release.name}: roll back the release, not the deployment (a rollout undo leaves the release drifting)`,
    };
  }
  return autoscaled ?? { suggestion: mitigation };
}

function mitigationFor(
  finding: DraftFinding,
  target: ObjectRef,
  deployment: Workload | undefined,
  context: SuggestContext,
): Suggestion | undefined {
  const params = workloadParams(target);
  const onTarget = context.changes.filter(
    (c) =>
      c.workload.kind === target.kind && c.workload.namespace === target.namespace && c.workload.name === target.name,
  );
  const first = finding.firstFailureMs ?? Number.POSITIVE_INFINITY;
  const rollout = onTarget.find((c) => c.kind === 'rollout' && !c.mitigation && c.atMs <= first + 60_000);
  // A firing alert on a workload just rolled out points at the rollout, whatever the alert's name.
  const rollbackReason =
    ROLLBACK_REASONS.has(finding.reason) || (finding.check === 'alerts' && finding.severity !== 'info');
  if (rollbackReason && rollout) {
    const target =
      deployment && deployment.kind !== 'StatefulSet' && deployment.kind !== 'DaemonSet'
        ? rollbackTarget(deployment, context)
        : { kind: 'default' as const };
    if (target.kind === 'default') return suggestionCommand(PLAYBOOKS.rollback, params, context);
    if (target.kind === 'revision')
      return suggestionCommand(PLAYBOOKS.rollback, { ...params, toRevision: String(target.revision) }, context);
    return undefined;
  }
  // A DaemonSet runs one pod a node: it has no replicas to scale.
  if (target.kind === 'DaemonSet') return undefined;
  if (finding.reason === 'Unschedulable' && /insufficient (cpu|memory)/.test(finding.title)) {
    const scaleUp = onTarget.find((c) => c.kind === 'scale' && c.atMs <= first + 60_000);
    if (scaleUp) {
      const replicas = scaleUp.previousReplicas;
      return suggestionCommand(
        PLAYBOOKS.scale,
        replicas === undefined ? params : { ...params, replicas: String(replicas) },
        context,
      );
    }
  }
  if (finding.reason === 'HighCPU') {
    // Under load, doubling is the runbooks' first move: enough headroom, easy to undo.
    const current = deployment?.spec?.replicas ?? 1;
    return suggestionCommand(PLAYBOOKS.scale, { ...params, replicas: String(current * 2) }, context);
  }
  return undefined;
}

/** The Deployment, StatefulSet or DaemonSet a finding is about, as listed in the snapshot. */
function workloadOf(snapshot: Snapshot, target: ObjectRef): Workload | undefined {
  const list =
    target.kind === 'StatefulSet'
      ? snapshot.statefulsets
      : target.kind === 'DaemonSet'
        ? snapshot.daemonsets
        : snapshot.deployments;
  const found = list.find((w) => w.metadata.namespace === target.namespace && w.metadata.name === target.name);
  return found && { ...found, kind: target.kind };
}

/** A failure that outlived inc's own rollout: say so, instead of suggesting to undo the mitigation. */
function afterOwnChange(finding: DraftFinding, target: ObjectRef, context: SuggestContext): string | undefined {
  if (!ROLLBACK_REASONS.has(finding.reason)) return undefined;
  const own = context.changes.find(
    (c) =>
      c.kind === 'rollout' &&
      c.mitigation &&
      c.workload.namespace === target.namespace &&
      c.workload.name === target.name,
  );
  if (!own?.mitigation) return undefined;
  return `still failing after inc's own change in this incident (${own.mitigation.summary}); no earlier revision is left that the incident has not rolled away from: look beyond the rollout (configuration, dependencies)`;
}

/**
 * The revision a rollback should restore: kubectl's default (the previous one) unless this incident
 * already moved away from revisions, which a rollback must never bring back.
 */
function rollbackTarget(
  deployment: Workload,
  context: SuggestContext,
): { kind: 'default' } | { kind: 'revision'; revision: number } | { kind: 'none' } {
  const mitigations = context.mitigations ?? [];
  const ref = { kind: 'Deployment', namespace: deployment.metadata.namespace, name: deployment.metadata.name };
  const owned = ownedReplicaSets(context.snapshot, deployment).sort((a, b) => revisionOf(b) - revisionOf(a));
  const [current, ...older] = owned;
  const bad = new Set(revisionsRolledAwayFrom(ref, mitigations));
  // inc's change moved the deployment away from the revision current before it.
  if (current && older[0] && mitigationOfReplicaSet(ref, current, mitigations)) bad.add(revisionOf(older[0]));
  if (bad.size === 0) return { kind: 'default' };
  const good = older.find((rs) => !bad.has(revisionOf(rs)));
  return good ? { kind: 'revision', revision: revisionOf(good) } : { kind: 'none' };
}
