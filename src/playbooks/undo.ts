import { UsageError } from '../errors.js';
import type { ActionRecord } from '../incident/state.js';
import { isActionName } from './action-with.js';
import type { Playbook } from './schema.js';

export interface UndoChoice {
  record: ActionRecord;
  playbook: Playbook;
}

function wasApplied(record: ActionRecord): boolean {
  return !record.dryRun && record.phases.some((p) => p.phase === 'applied');
}

function isUndone(record: ActionRecord, all: readonly ActionRecord[]): boolean {
  return all.some((other) => other.undoes === record.actionId && other.phases.some((p) => p.phase === 'undone'));
}

/**
 * Picks the mitigation to revert — the given action id, else the last applied one that has an
 * inverse and was not undone yet (undo actions themselves are skipped, so undo works as a stack) —
 * and turns its recorded inverse into a one-step playbook for the engine.
 */
export function chooseUndo(actions: readonly ActionRecord[], actionId?: string): UndoChoice {
  let record: ActionRecord | undefined;
  if (actionId) {
    record = actions.find((a) => a.actionId === actionId || a.actionId.endsWith(actionId));
    if (!record)
      throw new UsageError(`no action ${actionId} in this incident`, {
        hint: 'inc log lists the actions and their ids',
      });
    if (!wasApplied(record))
      throw new UsageError(`action ${record.actionId} (${record.summary}) was never applied; nothing to undo`);
    if (isUndone(record, actions))
      throw new UsageError(`action ${record.actionId} (${record.summary}) was already undone`);
  } else {
    record = [...actions]
      .reverse()
      .find((a) => wasApplied(a) && a.inverse !== undefined && !a.undoes && !isUndone(a, actions));
    if (!record) {
      throw new UsageError('no applied mitigation with an inverse is left to undo in this incident', {
        hint: 'inc log shows the actions; inc undo ACTION_ID picks one',
      });
    }
  }
  const inverse = record.inverse as { action?: unknown; with?: unknown; summary?: unknown } | undefined;
  if (
    !inverse ||
    typeof inverse.action !== 'string' ||
    !isActionName(inverse.action) ||
    typeof inverse.with !== 'object'
  ) {
    throw new UsageError(`action ${record.actionId} (${record.summary}) cannot be undone: it has no recorded inverse`, {
      hint: 'revert it by hand, or run the playbook that restores the previous state',
    });
  }
  return {
    record,
    playbook: {
      apiVersion: 'inc/v1',
      kind: 'Playbook',
      metadata: { name: 'undo', title: `Undo: ${record.summary}` },
      params: [],
      steps: [{ id: 'undo', action: inverse.action, with: inverse.with as Record<string, unknown> }],
    },
  };
}
