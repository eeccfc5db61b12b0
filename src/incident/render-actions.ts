import { describeActingAs } from './acting-as.js';
import { actionContextToName } from './action-context.js';
import { formatLocalTime } from './describe.js';
import { type ActionRecord, appliedChanges, type IncidentState, unappliedAttempts } from './state.js';
import type { TextStyle } from './text-style.js';

/** How many of the latest actions (and of the attempts that changed nothing) `inc status` lists. */
const LAST_ACTIONS_SHOWN = 3;

/**
 * The "Last actions" of `inc status`: only changes that reached the cluster. Attempts that changed
 * nothing (declined, stopped, failed before applying) follow under their own heading, each saying
 * so, so that a stopped plan never reads as something that was done.
 */
export function renderLastActions(state: Pick<IncidentState, 'actions' | 'triages'>, style: TextStyle): string[] {
  const lines: string[] = [];
  const contextOf = actionContextToName(state);
  const applied = appliedChanges(state);
  if (applied.length) {
    lines.push('', style.heading(`Last actions (${countShown(applied)})`));
    for (const action of applied.slice(-LAST_ACTIONS_SHOWN)) {
      const phase = action.undoneBy ? 'undone' : action.latestPhase;
      const paint = phase === 'failed' ? style.error : phase === 'verified' ? style.ok : (t: string) => t;
      const label = phase === 'failed' ? 'applied, verification failed' : phase;
      lines.push(actionLine(action, paint(label.padEnd(8)), contextOf(action), style));
    }
  }
  const attempts = unappliedAttempts(state);
  if (attempts.length) {
    lines.push('', style.heading(`Attempts that changed nothing (${countShown(attempts)})`));
    for (const action of attempts.slice(-LAST_ACTIONS_SHOWN)) {
      lines.push(actionLine(action, style.dim(attemptLabel(action)), contextOf(action), style));
    }
  }
  return lines;
}

/** The heading counts what it lists, and says when earlier ones are left out. */
function countShown(all: readonly ActionRecord[]): string {
  const shown = Math.min(all.length, LAST_ACTIONS_SHOWN);
  return shown < all.length ? `${shown} of ${all.length}` : `${shown}`;
}

function attemptLabel(action: ActionRecord): string {
  if (action.latestPhase === 'stopped') return 'stopped before applying';
  // A write whose answer was lost may have been applied: never call it a clean failure.
  return action.error?.includes('outcome unknown') ? 'outcome unknown' : 'failed before applying';
}

/** `where`: the context, named when the incident spans several. */
function actionLine(action: ActionRecord, label: string, where: string | undefined, style: TextStyle): string {
  const summary = where ? `${where}: ${action.summary}` : action.summary;
  const actingAs = action.actingAs ? ` (as ${describeActingAs(action.actingAs)})` : '';
  return `  ${formatLocalTime(action.lastAt, { seconds: false })}  ${label}  ${summary}${actingAs}${style.dim(` (${action.actionId})`)}`;
}
