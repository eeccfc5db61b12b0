import {
  appliedChanges,
  type IncidentState,
  performedActions,
  type TriageEntry,
  type TriageSuspect,
} from '../incident/state.js';
import type { UpdateStatus } from '../incident/update-status.js';

/** "Deployment payments/api: rollout to revision 4 (image api:2.3.1)" */
export function describeSuspect(suspect: TriageSuspect): string {
  const { kind, namespace, name } = suspect.workload;
  // A fleet triage records the context of each suspect: the same deployment runs in every region.
  const where = typeof suspect.context === 'string' && suspect.context ? ` in ${suspect.context}` : '';
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}${where}: ${suspect.change}`;
}

/**
 * The suspected cause for a status update: the first suspect, and after a fleet triage the first of
 * each other context too, so a second region with a cause of its own is not left out of the update.
 */
export function describeSuspectedCause(suspects: readonly TriageSuspect[]): string | null {
  const firstPerContext = new Map<string, TriageSuspect>();
  for (const suspect of suspects) {
    const context = typeof suspect.context === 'string' ? suspect.context : '';
    if (!firstPerContext.has(context)) firstPerContext.set(context, suspect);
  }
  const named = [...firstPerContext.values()];
  return named.length ? named.map(describeSuspect).join('; ') : null;
}

/**
 * The triages recorded after the last change inc applied (by the log's order, since several
 * events can share a time): earlier ones describe the cluster before that change.
 */
export function triagesSinceLastChange(incident: Pick<IncidentState, 'actions' | 'events' | 'triages'>): TriageEntry[] {
  const order = new Map(incident.events.map((event, index) => [event.id, index]));
  let lastChange = -1;
  for (const action of appliedChanges(incident)) {
    for (const entry of action.phases) {
      if (entry.phase === 'applied') lastChange = Math.max(lastChange, order.get(entry.eventId) ?? -1);
    }
  }
  return incident.triages.filter((triage) => (order.get(triage.eventId) ?? -1) > lastChange);
}

/**
 * What the last triage since the last applied change found, for people: its worst problem's title
 * (and how many more problems), else that it found none; null when no triage was run since.
 */
export function describeTriage(incident: IncidentState): string | null {
  const triage = triagesSinceLastChange(incident).at(-1);
  if (!triage) return null;
  const findings = triage.findings ?? [];
  // Info findings are context (the rollout just undone, events of pods gone): an update that led
  // with one would read as trouble still there after a mitigation that worked.
  const worst =
    findings.find((finding) => finding.severity === 'critical') ??
    findings.find((finding) => finding.severity === 'warning');
  if (!worst) {
    const info = triage.summary?.info ?? 0;
    // The headline ends with how long the triage took: nothing for the readers of an update.
    if (triage.complete === false || info === 0)
      return triage.headline.replace(/, \d+(\.\d+)? s$/, '') || 'no findings';
    return `no critical or warning findings (${info} info)`;
  }
  const more = (triage.summary?.critical ?? 0) + (triage.summary?.warning ?? 0) - 1;
  return more > 0 ? `${worst.title} (+${more} more)` : worst.title;
}

/**
 * The suggestion of the latest triage since the last change inc applied: one made before it is what
 * that change answered (an update must not ask for the playbook that just ran).
 */
function latestSuggestion(incident: IncidentState): string | undefined {
  for (const triage of triagesSinceLastChange(incident).reverse()) {
    const finding = (triage.findings ?? []).find((entry) => entry.suggestion);
    if (finding?.suggestion) return finding.suggestion.command;
  }
  return undefined;
}

/**
 * What is being done next, as far as the log can tell. Once resolved, the review: with the
 * postmortem only when the severity requires one (the others leave it to the team).
 */
export function describeNextStep(incident: IncidentState, status: UpdateStatus, postmortemRequired: boolean): string {
  const suggestion = latestSuggestion(incident);
  const lastAction = performedActions(incident).at(-1);
  const lastChange = appliedChanges(incident).at(-1);
  switch (status) {
    case 'resolved':
      return postmortemRequired
        ? 'Review: write the postmortem (inc postmortem) and follow up on the action items'
        : 'Review: follow up on the action items';
    case 'monitoring':
    case 'mitigated':
      return 'Watching the mitigation hold; resolving once the service stays healthy';
    case 'identified':
    case 'mitigating':
      if (lastAction?.latestPhase === 'failed') return 'The last mitigation failed; choosing another one';
      if (suggestion) return `Mitigating: ${suggestion}`;
      if (lastChange && !lastChange.undoneBy)
        return `Checking what the last change did (${lastChange.summary}): inc triage`;
      return incident.suspects[0]
        ? `Mitigating the suspected change (${describeSuspect(incident.suspects[0])})`
        : 'Mitigating the identified cause';
    default:
      if (incident.triages.length === 0) return 'Triaging the cluster (inc triage)';
      return suggestion ? `Evaluating the suggested mitigation: ${suggestion}` : 'Continuing the investigation';
  }
}

/** What the responders need from others, as far as the log can tell. */
export function describeNeeds(incident: IncidentState, status: UpdateStatus): string {
  if (status === 'resolved') return 'Nothing; thank you all';
  if (!incident.commander) return 'An incident commander (inc role commander NAME)';
  return 'Nothing at the moment';
}
