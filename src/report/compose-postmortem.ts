import type { Clock } from '../clock.js';
import { DEFAULT_SEVERITIES } from '../config.js';
import { describeActingAs } from '../incident/acting-as.js';
import { actionContextToName } from '../incident/action-context.js';
import { addBusinessDays } from '../incident/business-days.js';
import { sentUpdates } from '../incident/delivery.js';
import { describeMetrics, type MetricLine } from '../incident/metric-report.js';
import { postmortemRule } from '../incident/postmortem-advice.js';
import {
  type ActionRecord,
  appliedChanges,
  type DeclaredIncident,
  recordedMitigations,
  unappliedAttempts,
} from '../incident/state.js';
import type { SeverityCadence } from './cadence.js';
import { formatDateTimeUtc, formatDateUtc, formatDueUtc, formatElapsed } from './format-time.js';
import { describeLeads } from './postmortem-leads.js';
import { buildTimeline, type TimelineRow } from './postmortem-timeline.js';

/** The parts of a postmortem only its author knows; each is a marked prompt until written. */
export const POSTMORTEM_QUESTIONS = [
  {
    key: 'summary',
    question: 'Summary: what happened, in one or two sentences?',
    todo: 'say in one or two sentences what happened and why.',
  },
  {
    key: 'impact',
    question: 'Impact: who was affected, how much, for how long?',
    todo: 'give exact numbers: requests failed, users or accounts affected, tickets.',
  },
  {
    key: 'impactUsers',
    question: 'Users affected: how many, and how?',
    todo: 'how many users or accounts were affected, and how.',
  },
  { key: 'impactRevenue', question: 'Revenue impact?', todo: 'the revenue lost or at risk (or none).' },
  { key: 'impactDataLoss', question: 'Data loss?', todo: 'whether any data was lost or corrupted (none, or what).' },
  {
    key: 'impactSla',
    question: 'SLA or SLO breached?',
    todo: 'whether an SLA or SLO was breached, and which customers it concerns.',
  },
  {
    key: 'rootCause',
    question: 'Root cause and trigger?',
    todo: 'describe the root cause and what triggered it (the log only has leads).',
  },
  {
    key: 'contributingFactors',
    question: 'Contributing factors?',
    todo: 'list what made it possible, worse or longer.',
  },
  {
    key: 'detection',
    question: 'Detection: how was it noticed?',
    todo: 'say how and when it was detected, and how it could be detected sooner.',
  },
  { key: 'wentWell', question: 'What went well?', todo: 'what went well?' },
  { key: 'couldImprove', question: 'What could be improved?', todo: 'what could be improved?' },
  { key: 'lucky', question: 'Where did we get lucky?', todo: 'where did we get lucky?' },
  { key: 'lessons', question: 'Lessons learned?', todo: 'what did we learn that others should know?' },
] as const;

export type PostmortemQuestionKey = (typeof POSTMORTEM_QUESTIONS)[number]['key'];
export type PostmortemAnswers = Partial<Record<PostmortemQuestionKey, string>>;

/** One section the author writes: their answer, else the marked prompt. */
export interface AuthorSection {
  text: string | null;
  todo: string;
}

export interface PostmortemActionItem {
  text: string;
  priority: string;
  type: string;
  owner: string;
  due: string;
}

/** The impact figures the runbooks ask for, each the author's answer or a prompt. */
const IMPACT_DETAILS = [
  ['impactUsers', 'Users affected'],
  ['impactRevenue', 'Revenue impact'],
  ['impactDataLoss', 'Data loss'],
  ['impactSla', 'SLA breach'],
] as const;

/** Everything the postmortem template renders. */
export interface Postmortem {
  incidentId: string;
  /** The file name of the signals chart written beside the postmortem (linked from it); null without one. */
  chart: string | null;
  title: string;
  status: 'Draft';
  generatedAt: string;
  date: string;
  severity: string;
  /** The most severe level the incident held, when it is not its last severity (a SEV1 lowered to SEV3). */
  highestSeverity: string | null;
  services: string;
  commander: string | null;
  responders: Array<{ role: string; name: string }>;
  impactStartedAt: string;
  impactStartRecorded: boolean;
  declaredAt: string;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  duration: string;
  /** What the log says happened, in one sentence of facts. */
  factSummary: string;
  lastImpact: string | null;
  impactDetails: Array<{ label: string } & AuthorSection>;
  /** When the postmortem is due by the severity's rule, or that none is required. */
  postmortemDue: string;
  metrics: MetricLine[];
  metricWarnings: string[];
  timeline: TimelineRow[];
  leads: string[];
  /** When the incident was noticed and first worked on, from the log. */
  detectionFacts: string[];
  mitigations: string[];
  /** Attempts that changed nothing (failed before applying, declined, stopped), apart from the mitigations. */
  attempts: string[];
  actionItems: PostmortemActionItem[];
  decisions: string[];
  evidence: string[];
  /** The status updates sent: those inc posted and the webhook refused are not. */
  updateCount: number;
  /** The status updates inc posted that the webhook refused, never resent. */
  undeliveredUpdateCount: number;
  /** The last internal (text, Slack, Markdown) and customer-facing (Statuspage) updates sent, verbatim. */
  lastInternalUpdate: string | null;
  lastExternalUpdate: string | null;
  sections: Record<PostmortemQuestionKey, AuthorSection>;
}

function factSummary(
  incident: DeclaredIncident,
  duration: string,
  contextOf: (action: ActionRecord) => string | undefined,
): string {
  const mitigation = appliedChanges(incident).find(
    (action) => action.latestPhase === 'verified' && !action.undoes && !action.undoneBy,
  );
  const sentences = [
    incident.times.resolvedAt
      ? `${incident.severity} incident "${incident.title}" lasted ${duration} from impact start to resolution.`
      : `${incident.severity} incident "${incident.title}" has been open for ${duration}.`,
  ];
  const where = mitigation && contextOf(mitigation);
  if (mitigation) sentences.push(`Mitigated${where ? ` in ${where}` : ''} by: ${mitigation.summary}.`);
  const resolution = incident.resolution?.summary;
  if (resolution) sentences.push(`Resolution: ${resolution}.`);
  return sentences.join(' ').replace(/\.\./g, '.');
}

/** What became of an applied change: verified, not verified yet, or applied but failing its verification. */
function appliedResult(action: ActionRecord): string {
  if (action.latestPhase === 'failed') return `applied; ${action.error ?? 'verification failed'}`;
  return action.latestPhase === 'applied' ? 'applied, not verified' : action.latestPhase;
}

function detectionFacts(incident: DeclaredIncident): string[] {
  const facts: string[] = [];
  const declaredAt = new Date(incident.times.declaredAt);
  const declared = formatDateTimeUtc(declaredAt);
  if (incident.impactStartGiven) {
    const impactStartedAt = new Date(incident.times.impactStartedAt);
    const lag = formatElapsed(declaredAt.getTime() - impactStartedAt.getTime());
    facts.push(`Impact started ${formatDateTimeUtc(impactStartedAt)}; declared ${declared}, ${lag} later.`);
  } else {
    facts.push(`Declared ${declared}; the impact start was not recorded.`);
  }
  const alert = firstAlert(incident);
  if (alert) {
    const firedAt = new Date(alert.startsAt);
    const after = incident.impactStartGiven
      ? `, ${formatElapsed(firedAt.getTime() - Date.parse(incident.times.impactStartedAt))} after the impact started`
      : '';
    const paged = incident.paged ? '; the incident was declared from it' : '';
    const summary = alert.annotations.summary ? ` (${alert.annotations.summary})` : '';
    facts.push(`Detected by the alert ${alert.name}${summary}, fired ${formatDateTimeUtc(firedAt)}${after}${paged}.`);
  }
  const firstTriage = incident.triages[0];
  if (firstTriage)
    facts.push(
      `First triage ${formatDateTimeUtc(new Date(firstTriage.at))}: ${firstTriage.headline || 'no findings'}.`,
    );
  const firstUpdate = sentUpdates(incident.updates)[0];
  if (firstUpdate)
    facts.push(`First status update ${formatDateTimeUtc(new Date(firstUpdate.at))} (${firstUpdate.format}).`);
  return facts;
}

function firstAlert(incident: DeclaredIncident): DeclaredIncident['alerts'][number] | undefined {
  return [...incident.alerts].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];
}

/** Action items, P1 first; those without a priority last, each group in the order recorded. */
function byPriority<T extends { priority?: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.priority ?? 'P9').localeCompare(b.priority ?? 'P9'));
}

/**
 * What mitigated the impact, in the order it happened: the changes inc applied (not their undos)
 * and the mitigations recorded with `inc mitigated`, made outside inc, with their reason.
 */
function mitigationsOf(incident: DeclaredIncident, contextOf: (action: ActionRecord) => string | undefined): string[] {
  const applied = appliedChanges(incident)
    .filter((action) => !action.undoes)
    .map((action) => {
      const where = contextOf(action);
      const actingAs = action.actingAs ? `, as ${describeActingAs(action.actingAs)}` : '';
      const result = `${appliedResult(action)}${action.undoneBy ? ', later undone' : ''}${actingAs}`;
      return { at: Date.parse(action.lastAt), text: `${where ? `${where}: ` : ''}${action.summary} (${result})` };
    });
  const recorded = recordedMitigations(incident).map((change) => {
    const when = formatDateTimeUtc(new Date(change.effectiveAt));
    const what = change.reason ?? 'no detail recorded';
    return { at: Date.parse(change.effectiveAt), text: `${what} (marked mitigated at ${when} by ${change.actor})` };
  });
  return [...applied, ...recorded].sort((a, b) => a.at - b.at).map((entry) => entry.text);
}

/** The most severe level the incident held by the table's order, when it is not the last one. */
function highestSeverity(incident: DeclaredIncident, severities: readonly SeverityCadence[]): string | null {
  const held = [incident.severityHistory[0]?.from ?? incident.severity, ...incident.severityHistory.map((c) => c.to)];
  const highest = severities.find((s) => held.includes(s.name))?.name;
  return highest && highest !== incident.severity ? highest : null;
}

/** "2026-01-16 (within 5 business days of the resolution)", or why there is no date. */
function postmortemDue(incident: DeclaredIncident, severities: readonly SeverityCadence[] | undefined): string {
  const required = postmortemRule(incident, severities ?? DEFAULT_SEVERITIES);
  if (!required) return `not required for ${incident.severity}`;
  const days = required.withinBusinessDays;
  const heldBefore = required.severity === incident.severity ? '' : `; required: it was ${required.severity}`;
  const rule = `within ${days} business day${days === 1 ? '' : 's'} of the resolution${heldBefore}`;
  const resolvedAt = incident.times.resolvedAt;
  return resolvedAt ? `${formatDateUtc(new Date(addBusinessDays(resolvedAt, days)))} (${rule})` : rule;
}

function lastUpdateText(incident: DeclaredIncident, wanted: (format: string) => boolean): string | null {
  // "Sent" is what the messaging section says: an update the webhook refused is not quoted as such.
  const update = [...sentUpdates(incident.updates)].reverse().find((entry) => wanted(entry.format));
  return update ? update.text.trimEnd().replace(/```/g, "'''") : null;
}

/** The updates the webhook refused that no later `inc update --resend` sent. */
function unresentUpdates(incident: DeclaredIncident): DeclaredIncident['updates'] {
  const resent = new Set(incident.updates.map((entry) => entry.resends).filter(Boolean));
  return incident.updates.filter((entry) => entry.post?.ok === false && !resent.has(entry.eventId));
}

/**
 * The roles named, then everyone else who recorded in the log, in the order they first did: a
 * teammate whose events arrived by `inc sync` responded too, role or not.
 */
function respondersOf(incident: DeclaredIncident): Postmortem['responders'] {
  const responders = Object.entries(incident.roles).map(([role, name]) => ({ role, name }));
  const known = new Set(responders.map((responder) => responder.name));
  for (const { actor } of incident.events) {
    if (known.has(actor)) continue;
    known.add(actor);
    responders.push({ role: 'responder', name: actor });
  }
  return responders;
}

/**
 * Composes a blameless postmortem from the incident's log. Facts come from the log (times,
 * metrics, timeline, actions, action items); what only people know comes from `answers`
 * or stays a marked prompt for the author; nothing is invented.
 */
export function composePostmortem(
  incident: DeclaredIncident,
  answers: PostmortemAnswers,
  clock: Clock,
  severities?: readonly SeverityCadence[],
): Postmortem {
  const now = clock.now();
  const { metrics, times, warnings } = describeMetrics(incident);
  const impactStart = new Date(times.impactStartedAt);
  const declaredAt = new Date(times.declaredAt);
  const end = times.resolvedAt ? new Date(times.resolvedAt) : now;
  const duration = formatElapsed(end.getTime() - impactStart.getTime());
  const contextOf = actionContextToName(incident);
  const sections = Object.fromEntries(
    POSTMORTEM_QUESTIONS.map(({ key, todo }) => [key, { text: answers[key]?.trim() || null, todo }]),
  ) as Record<PostmortemQuestionKey, AuthorSection>;
  return {
    incidentId: incident.id,
    title: incident.title,
    status: 'Draft',
    generatedAt: formatDateTimeUtc(now),
    date: formatDateUtc(declaredAt),
    severity: incident.severity,
    highestSeverity: highestSeverity(incident, severities ?? DEFAULT_SEVERITIES),
    services: incident.services.length > 0 ? incident.services.join(', ') : 'none recorded',
    commander: incident.commander ?? null,
    responders: respondersOf(incident),
    impactStartedAt: formatDateTimeUtc(impactStart),
    impactStartRecorded: incident.impactStartGiven,
    declaredAt: formatDateTimeUtc(declaredAt),
    mitigatedAt: times.mitigatedAt ? formatDateTimeUtc(new Date(times.mitigatedAt)) : null,
    resolvedAt: times.resolvedAt ? formatDateTimeUtc(new Date(times.resolvedAt)) : null,
    duration,
    factSummary: factSummary(incident, duration, contextOf),
    lastImpact: [...sentUpdates(incident.updates)].reverse().find((update) => update.impact)?.impact ?? null,
    impactDetails: IMPACT_DETAILS.map(([key, label]) => ({ label, ...sections[key] })),
    postmortemDue: postmortemDue(incident, severities),
    metrics,
    metricWarnings: warnings,
    timeline: buildTimeline(incident),
    chart: null,
    detectionFacts: detectionFacts(incident),
    leads: describeLeads(incident.triages),
    mitigations: mitigationsOf(incident, contextOf),
    attempts: unappliedAttempts(incident).map(
      (action) =>
        `${formatDateTimeUtc(new Date(action.lastAt))}: ${action.summary} (${action.latestPhase}${action.error ? `: ${action.error}` : ''})`,
    ),
    actionItems: byPriority(incident.notes.filter((note) => note.kind === 'action-item')).map((note) => ({
      text: note.text,
      priority: note.priority ?? 'not set',
      type: note.itemType ?? 'unclassified',
      owner: note.owner ?? 'unassigned',
      due: note.due ? formatDueUtc(note.due) : 'not set',
    })),
    decisions: incident.notes
      .filter((note) => note.kind === 'decision')
      .map((note) => `${formatDateTimeUtc(new Date(note.at))}: ${note.text}`),
    evidence: incident.triages.map((triage) => triage.evidence).filter((path): path is string => Boolean(path)),
    updateCount: sentUpdates(incident.updates).length,
    undeliveredUpdateCount: unresentUpdates(incident).length,
    lastInternalUpdate: lastUpdateText(incident, (format) => format !== 'statuspage'),
    lastExternalUpdate: lastUpdateText(incident, (format) => format === 'statuspage'),
    sections,
  };
}
