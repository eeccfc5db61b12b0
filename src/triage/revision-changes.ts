import type { Change } from './change.js';
import type { ControllerRevision, Workload } from './k8s.js';
import { type Mitigation, mitigationOfReplicaSet } from './mitigations.js';
import type { Snapshot } from './snapshot.js';
import { describeRollout, imageChange, isRestart } from './template-changes.js';
import { toMs } from './time.js';
import type { ObjectRef } from './types.js';

/** A StatefulSet's or DaemonSet's move to a revision, as told by its ControllerRevisions. */
export interface RevisionMove {
  workload: ObjectRef;
  revision: number;
  previousRevision: number;
  atMs: number;
  imageFrom?: string;
  imageTo?: string;
  restart: boolean;
  changeCause?: string;
  mitigation?: Mitigation;
  /** The workload's and the revision's: what a finding about the move is about. */
  uids: string[];
}

const revisionNumber = (cr: ControllerRevision) => (typeof cr.revision === 'number' ? cr.revision : 0);

/** A revision seen as a workload with that template, so the Deployment helpers compare it. */
function asTemplateHolder(cr: ControllerRevision): Workload {
  return { metadata: cr.metadata, spec: { template: cr.data?.spec?.template } };
}

/** The revisions a StatefulSet or DaemonSet controls, by owner uid (as kubectl matches them). */
export function ownedRevisions(snapshot: Snapshot, workload: Workload): ControllerRevision[] {
  const { uid, namespace, name } = workload.metadata;
  return snapshot.controllerRevisions.filter(
    (cr) =>
      cr.metadata.namespace === namespace &&
      (cr.metadata.ownerReferences ?? []).some((o) => o.controller && (uid ? o.uid === uid : o.name === name)),
  );
}

/**
 * When the workload moved to a revision: a new revision is created for the move; a rollback
 * promotes an old one, whose creation is long past. Then the move is the workload's newest spec
 * change after the newer revisions were made (or, without one, the newest of them).
 */
function movedAt(workload: Workload, to: ControllerRevision, owned: readonly ControllerRevision[]): number {
  const created = toMs(to.metadata.creationTimestamp) ?? 0;
  const newer = owned
    .filter((cr) => cr !== to && revisionNumber(cr) < revisionNumber(to))
    .map((cr) => toMs(cr.metadata.creationTimestamp) ?? 0)
    .filter((ms) => ms > created);
  if (newer.length === 0) return created;
  const since = Math.max(...newer);
  const changed = Math.max(0, ...(workload.metadata.managedFields ?? []).map((entry) => toMs(entry.time) ?? 0));
  return changed >= since ? changed : since;
}

function moveTo(
  ref: ObjectRef,
  workload: Workload,
  to: ControllerRevision,
  from: ControllerRevision,
  owned: readonly ControllerRevision[],
  mitigation: Mitigation | undefined,
): RevisionMove {
  const [imageFrom, imageTo] = imageChange(asTemplateHolder(from), asTemplateHolder(to));
  return {
    workload: ref,
    revision: revisionNumber(to),
    previousRevision: revisionNumber(from),
    atMs: movedAt(workload, to, owned),
    imageFrom,
    imageTo,
    restart: isRestart(asTemplateHolder(from), asTemplateHolder(to)),
    changeCause: to.metadata.annotations?.['kubernetes.io/change-cause'],
    ...(mitigation ? { mitigation } : {}),
    uids: [workload.metadata.uid ?? '', to.metadata.uid ?? ''].filter(Boolean),
  };
}

/**
 * The latest revision change of every StatefulSet and DaemonSet that has an earlier revision. When
 * that change is inc's own mitigation, the change it moved away from is listed too: still a suspect.
 */
export function listRevisionMoves(snapshot: Snapshot, mitigations: readonly Mitigation[] = []): RevisionMove[] {
  const moves: RevisionMove[] = [];
  const sets: [string, Workload][] = [
    ...snapshot.statefulsets.map((w): [string, Workload] => ['StatefulSet', w]),
    ...snapshot.daemonsets.map((w): [string, Workload] => ['DaemonSet', w]),
  ];
  for (const [kind, workload] of sets) {
    const owned = ownedRevisions(snapshot, workload).sort((a, b) => revisionNumber(b) - revisionNumber(a));
    const [current, previous] = owned;
    if (!current || !previous) continue;
    const ref = { kind, namespace: workload.metadata.namespace, name: workload.metadata.name };
    const mitigation = mitigationOfReplicaSet(ref, asTemplateHolder(current), mitigations);
    moves.push(moveTo(ref, workload, current, previous, owned, mitigation));
    // A rollback to a template the workload had re-numbers that revision rather than adding one: with
    // two revisions left, the one before `previous` is the current one's template.
    const before = owned[2] ?? current;
    if (mitigation) moves.push(moveTo(ref, workload, previous, before, owned, undefined));
  }
  return moves;
}

/** The revision changes in the window, as suspects are made of them. */
export function revisionChanges(snapshot: Snapshot, from: number, mitigations: readonly Mitigation[]): Change[] {
  return listRevisionMoves(snapshot, mitigations)
    .filter((move) => move.atMs >= from)
    .map((move) => ({
      workload: move.workload,
      kind: 'rollout' as const,
      description: describeRollout(move),
      atMs: move.atMs,
      ...(move.changeCause ? { detail: `change-cause: ${move.changeCause}` } : {}),
      ...(move.mitigation ? { mitigation: move.mitigation } : {}),
      ...(move.restart ? { restart: true } : {}),
    }));
}
