import { UsageError } from '../errors.js';
import type { ActionTarget } from '../incident/event.js';
import { REDACTED, redactValue } from '../incident/redact.js';
import type { ActionRecord } from '../incident/state.js';
import { isActionName } from './action-with.js';
import type { Playbook } from './schema.js';

export interface UndoChoice {
  record: ActionRecord;
  playbook: Playbook;
  /**
   * Changes applied after the one chosen that `inc undo` cannot revert (an `exec` or `http` step, a
   * deleted Node): the last change made is not the one reverted, and the responder is told.
   */
  passedOver: ActionRecord[];
}

function wasApplied(record: ActionRecord): boolean {
  return !record.dryRun && record.phases.some((p) => p.phase === 'applied');
}

function isUndone(record: ActionRecord, all: readonly ActionRecord[]): boolean {
  return all.some((other) => other.undoes === record.actionId && other.phases.some((p) => p.phase === 'undone'));
}

/**
 * Whether an action reverted a change (an undo) rather than made one: an undo of a change is an
 * undo, an undo of an undo is a redo (a change again), and so on down the chain.
 */
export function isRevert(record: ActionRecord, all: readonly ActionRecord[]): boolean {
  let depth = 0;
  const seen = new Set<string>();
  for (let at: ActionRecord | undefined = record; at?.undoes && !seen.has(at.actionId); depth += 1) {
    seen.add(at.actionId);
    const target: string = at.undoes;
    at = all.find((a) => a.actionId === target);
  }
  return depth % 2 === 1;
}

/** Whether two changes act on the same object. */
export function sameActionTarget(a: ActionTarget, b: ActionTarget): boolean {
  return a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;
}

/**
 * Whether an action that cannot be undone deletes the object it targets (a Node deleted), rather
 * than something about it (the stuck pod of a StatefulSet, deleted so its rollout goes on).
 */
export function removesItsTarget(action: string): boolean {
  return action === 'node.delete';
}

/** Whether a later change that cannot be undone removed the same object (a cordoned Node, then deleted). */
function removedLater(record: ActionRecord, all: readonly ActionRecord[]): boolean {
  return all.some(
    (a) =>
      a.irreversible &&
      removesItsTarget(a.action) &&
      wasApplied(a) &&
      sameActionTarget(a.target, record.target) &&
      a.firstAt >= record.firstAt &&
      a !== record,
  );
}

/** The changes an id can name, newest first: the text log does not show ids. */
function listUndoable(actions: readonly ActionRecord[]): string {
  const applied = actions.filter((a) => wasApplied(a) && !isUndone(a, actions)).reverse();
  if (applied.length === 0) return 'no change of this incident is applied, so there is nothing to undo';
  const shown = applied.slice(0, 5).map((a) => `${a.actionId} (${a.summary})`);
  const more = applied.length > shown.length ? `, and ${applied.length - shown.length} older` : '';
  return `changes applied in this incident, newest first: ${shown.join(', ')}${more}`;
}

/**
 * Picks the change to revert — the given action id (an undo's id redoes what it undid), else the
 * last applied change (a mitigation or a redo) that has an inverse and is still in effect; undos
 * themselves are skipped, so `inc undo` repeated walks back — and turns its recorded inverse into a
 * one-step playbook for the engine.
 */
export function chooseUndo(actions: readonly ActionRecord[], actionId?: string): UndoChoice {
  let record: ActionRecord | undefined;
  if (actionId) {
    record = actions.find((a) => a.actionId === actionId || a.actionId.endsWith(actionId));
    if (!record) throw new UsageError(`no action ${actionId} in this incident`, { hint: listUndoable(actions) });
    if (!wasApplied(record))
      throw new UsageError(`action ${record.actionId} (${record.summary}) was never applied; nothing to undo`);
    if (isUndone(record, actions))
      throw new UsageError(`action ${record.actionId} (${record.summary}) was already undone`);
  } else {
    record = [...actions]
      .reverse()
      .find(
        (a) =>
          wasApplied(a) &&
          a.inverse !== undefined &&
          !isRevert(a, actions) &&
          !isUndone(a, actions) &&
          !removedLater(a, actions),
      );
    if (!record) {
      throw new UsageError('no applied mitigation with an inverse is left to undo in this incident', {
        hint: 'inc log shows the actions; inc undo ACTION_ID picks one',
      });
    }
  }
  const chosen = record;
  const passedOver = actionId
    ? []
    : actions.filter(
        (a) =>
          actions.indexOf(a) > actions.indexOf(chosen) &&
          wasApplied(a) &&
          (a.inverse === undefined || a.irreversible !== undefined) &&
          !isRevert(a, actions) &&
          !isUndone(a, actions),
      );
  if (record.irreversible) {
    throw new UsageError(`action ${record.actionId} (${record.summary}) cannot be undone: ${record.irreversible}`, {
      hint: 'inc log shows what it changed',
    });
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
  const lost = redactedPaths(inverse.with);
  if (lost.length) {
    const named = `${lost.slice(0, 5).join(', ')}${lost.length > 5 ? `, and ${lost.length - 5} more` : ''}`;
    throw new UsageError(
      `action ${record.actionId} (${record.summary}) cannot be undone: the state it replaced held credentials (${named}), which inc never records; putting it back would write ${REDACTED} into the cluster`,
      { hint: 'put those values back by hand from where they are kept (git, your secret manager)' },
    );
  }
  return {
    record,
    passedOver,
    playbook: {
      apiVersion: 'inc/v1',
      kind: 'Playbook',
      metadata: { name: 'undo', title: `Undo: ${record.summary}` },
      params: [],
      steps: [{ id: 'undo', action: inverse.action, with: inverse.with as Record<string, unknown> }],
    },
  };
}

/** Where a recorded value was redacted when the log kept it (`data.PASSWORD`): those values are gone. */
export function redactedPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes(REDACTED) ? [path || '(value)'] : [];
  if (Array.isArray(value)) return value.flatMap((entry, index) => redactedPaths(entry, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, entry]) => redactedPaths(entry, path ? `${path}.${key}` : key));
  return [];
}

/** The values of an inverse the log will not keep (credentials it redacts): inc undo cannot put them back. */
export function unrecordedPaths(inverse: { with: Record<string, unknown> } | undefined): string[] {
  return inverse ? redactedPaths(redactValue(inverse.with)) : [];
}
