import type { IncidentEvent, TypedEvent } from './event.js';
import type { EventRef, IncidentState } from './state-types.js';
import type { UpdateStatus } from './update-status.js';

const RANK: Record<UpdateStatus, number> = {
  investigating: 0,
  identified: 1,
  mitigating: 2,
  mitigated: 3,
  monitoring: 3,
  resolved: 4,
};

/** Moves the update status forward only: a later suspect does not take a mitigated incident back. */
export function raiseUpdateStatus(state: IncidentState, to: UpdateStatus): void {
  if (RANK[to] > RANK[state.updateStatus]) state.updateStatus = to;
}

/** The actions that were carried out: dry runs changed nothing and are not part of what was done. */
export function performedActions(state: Pick<IncidentState, 'actions'>): IncidentState['actions'] {
  return state.actions.filter((action) => !action.dryRun);
}

/** Whether an action changed something: it reached `applied` (a later failed verification does not undo that). */
export function wasApplied(action: IncidentState['actions'][number]): boolean {
  return !action.dryRun && action.phases.some((entry) => ['applied', 'verified', 'undone'].includes(entry.phase));
}

/** The changes made to the cluster: applied actions only, not plans, dry runs, declined or failed attempts. */
export function appliedChanges(state: Pick<IncidentState, 'actions'>): IncidentState['actions'] {
  return state.actions.filter(wasApplied);
}

/**
 * The mitigations recorded with `inc mitigated`: a rollback, a scale-up or a feature flag flipped
 * outside inc is an action taken all the same, with its reason as what was done.
 */
export function recordedMitigations(state: Pick<IncidentState, 'statusHistory'>): IncidentState['statusHistory'] {
  return state.statusHistory.filter((change) => change.state === 'mitigated');
}

/**
 * Attempts that changed nothing: failed before applying (or with an unknown outcome), declined,
 * or stopped. A plan with nothing after it is no attempt.
 */
export function unappliedAttempts(state: Pick<IncidentState, 'actions'>): IncidentState['actions'] {
  return state.actions.filter(
    (action) => !action.dryRun && !wasApplied(action) && ['failed', 'stopped'].includes(action.latestPhase),
  );
}

/** True when some real mitigation was verified and has not been reverted. */
function holdsMitigation(state: IncidentState): boolean {
  return performedActions(state).some(
    (action) => action.latestPhase === 'verified' && !action.undoneBy && !action.undoes,
  );
}

function recordFor(state: IncidentState, event: TypedEvent<'action'> & IncidentEvent) {
  const data = event.data;
  const existing = state.actions.find((a) => a.actionId === data.actionId);
  if (existing) return existing;
  const record: IncidentState['actions'][number] = {
    actionId: data.actionId,
    action: data.action,
    playbook: data.playbook,
    step: data.step,
    context: data.context,
    ...(data.server && { server: data.server }),
    ...(data.actingAs && { actingAs: data.actingAs }),
    namespace: data.namespace,
    target: data.target,
    summary: data.summary,
    phases: [],
    latestPhase: data.phase,
    firstAt: event.at,
    lastAt: event.at,
    dryRun: Boolean(data.dryRun),
  };
  state.actions.push(record);
  return record;
}

/** Folds one `action` event into its action record, the milestones and the update status. */
export function applyAction(
  state: IncidentState,
  event: TypedEvent<'action'> & IncidentEvent,
  ref: EventRef,
  markMitigated: (at: string) => void,
): void {
  const data = event.data;
  const record = recordFor(state, event);
  record.phases.push({ ...ref, phase: data.phase, data });
  record.latestPhase = data.phase;
  record.summary = data.summary || record.summary;
  record.lastAt = event.at;
  if (data.inverse !== undefined) record.inverse = data.inverse;
  if (data.irreversible) record.irreversible = data.irreversible;
  if (data.error) record.error = data.error;
  if (data.undoes) record.undoes = data.undoes;
  if (data.dryRun) return;
  const reverted = data.undoes ? state.actions.find((a) => a.actionId === data.undoes) : undefined;
  // The reverted action keeps its own last phase; `undoneBy` says it no longer holds.
  if (reverted && ['applied', 'undone', 'verified'].includes(data.phase)) reverted.undoneBy = data.actionId;
  // The first verified mitigation marks the incident mitigated; verifying an undo does not, since it
  // puts back what was there before.
  if (data.phase === 'verified' && !record.undoes) {
    markMitigated(event.at);
    raiseUpdateStatus(state, 'monitoring');
  }
  if (record.undoes && state.updateStatus === 'monitoring' && !holdsMitigation(state)) {
    state.updateStatus = 'identified';
  }
}
