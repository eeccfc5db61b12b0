import { type ActionRecord, appliedChanges, type DeclaredIncident } from './state.js';

/**
 * The context to name beside an action in a report: only when the incident spans several (a fleet
 * triage, or changes in more than one), where "roll back payments/api" alone names no cluster; in
 * one cluster's incident it would only be noise.
 */
export function actionContextToName(
  incident: Pick<DeclaredIncident, 'actions' | 'triages'>,
): (action: ActionRecord) => string | undefined {
  const contexts = new Set(appliedChanges(incident).map((action) => action.context));
  for (const triage of incident.triages) for (const entry of triage.contexts ?? []) contexts.add(entry.context);
  return (action) => (contexts.size > 1 && action.context ? action.context : undefined);
}
