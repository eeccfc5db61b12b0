import type { IncidentView, TriageSuspect, UpdateStatus } from './incident-view.js';

/** "Deployment payments/api: rollout to revision 4 (image api:2.3.1)" */
export function describeSuspect(suspect: TriageSuspect): string {
  const { kind, namespace, name } = suspect.workload;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}: ${suspect.change}`;
}

/**
 * What the last triage found, for people: its worst finding's title (and how many more),
 * else its headline; null before any triage.
 */
export function describeTriage(view: IncidentView): string | null {
  const triage = view.triages.at(-1);
  if (!triage) return null;
  const findings = triage.findings ?? [];
  const worst = findings.find((finding) => finding.severity === 'critical') ?? findings[0];
  if (!worst) return triage.headline || 'no findings';
  const more = findings.length - 1;
  return more > 0 ? `${worst.title} (+${more} more)` : worst.title;
}

function latestSuggestion(view: IncidentView): string | undefined {
  for (const triage of [...view.triages].reverse()) {
    const finding = (triage.findings ?? []).find((entry) => entry.suggestion);
    if (finding?.suggestion) return finding.suggestion.command;
  }
  return undefined;
}

/** What is being done next, as far as the log can tell. */
export function describeNextStep(view: IncidentView, status: UpdateStatus): string {
  const suggestion = latestSuggestion(view);
  const lastAction = view.actions.at(-1);
  switch (status) {
    case 'resolved':
      return 'Review: write the postmortem (inc postmortem) and follow up on the action items';
    case 'monitoring':
      return 'Watching the mitigation hold; resolving once the service stays healthy';
    case 'identified':
      if (lastAction?.phase === 'failed') return 'The last mitigation failed; choosing another one';
      if (suggestion) return `Mitigating: ${suggestion}`;
      return view.suspects[0]
        ? `Mitigating the suspected change (${describeSuspect(view.suspects[0])})`
        : 'Mitigating the identified cause';
    default:
      if (view.triages.length === 0) return 'Triaging the cluster (inc triage)';
      return suggestion ? `Evaluating the suggested mitigation: ${suggestion}` : 'Continuing the investigation';
  }
}

/** What the responders need from others, as far as the log can tell. */
export function describeNeeds(view: IncidentView, status: UpdateStatus): string {
  if (status === 'resolved') return 'Nothing; thank you all';
  if (!view.commander) return 'An incident commander (inc role commander NAME)';
  return 'Nothing at the moment';
}
