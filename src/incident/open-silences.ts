import type { IncidentState } from './state-types.js';

/** A silence the incident created that still hides alerts. */
export interface OpenSilence {
  id: string;
  /** The action that created it: `inc undo ACTION_ID` expires it. */
  actionId: string;
  matchers: string;
  endsAt: string;
}

/** What an applied alertmanager.silence recorded: a created silence, or `state: expired` for a lifted one. */
interface SilenceOutcome {
  silenceId?: unknown;
  endsAt?: unknown;
  state?: unknown;
}

function outcomeOf(action: IncidentState['actions'][number]): SilenceOutcome | undefined {
  return action.phases.find((p) => p.phase === 'applied')?.data.after as SilenceOutcome | undefined;
}

/**
 * The silences created during the incident (alertmanager.silence applied) that were neither
 * expired since (an expire step, or `inc undo` of the creating action) nor past their end at
 * `now`. Resolving with one of them still active would hide the next page of the same alert.
 */
export function openSilences(state: Pick<IncidentState, 'actions'>, now: Date): OpenSilence[] {
  const silenceActions = state.actions.filter((a) => a.action === 'alertmanager.silence' && !a.dryRun);
  const expired = new Set(silenceActions.filter((a) => outcomeOf(a)?.state === 'expired').map((a) => a.target.name));
  const open: OpenSilence[] = [];
  for (const action of silenceActions) {
    const after = outcomeOf(action);
    if (typeof after?.silenceId !== 'string' || typeof after.endsAt !== 'string') continue;
    if (action.undoneBy || expired.has(after.silenceId)) continue;
    if (Date.parse(after.endsAt) <= now.getTime()) continue;
    open.push({ id: after.silenceId, actionId: action.actionId, matchers: action.target.name, endsAt: after.endsAt });
  }
  return open;
}
