import type { Clock } from '../clock.js';
import { formatDateTimeUtc, formatDateUtc, formatElapsed } from './format-time.js';
import type { IncidentView } from './incident-view.js';
import { computeMetrics, type IncidentMetric } from './metrics.js';
import { describeSuspect } from './next-step.js';
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
  type: string;
  owner: string;
  due: string;
}

/** Everything the postmortem template renders. */
export interface Postmortem {
  incidentId: string;
  title: string;
  status: 'Draft';
  generatedAt: string;
  date: string;
  severity: string;
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
  metrics: IncidentMetric[];
  metricWarnings: string[];
  timeline: TimelineRow[];
  leads: string[];
  /** When the incident was noticed and first worked on, from the log. */
  detectionFacts: string[];
  mitigations: string[];
  actionItems: PostmortemActionItem[];
  decisions: string[];
  evidence: string[];
  updateCount: number;
  /** The last internal (text, Slack, Markdown) and customer-facing (Statuspage) updates sent, verbatim. */
  lastInternalUpdate: string | null;
  lastExternalUpdate: string | null;
  sections: Record<PostmortemQuestionKey, AuthorSection>;
}

function factSummary(view: IncidentView, duration: string): string {
  const mitigation = view.actions.find((action) => action.phase === 'verified' && !action.undoes && !action.undoneBy);
  const sentences = [
    view.resolvedAt
      ? `${view.severity} incident "${view.title}" lasted ${duration} from impact start to resolution.`
      : `${view.severity} incident "${view.title}" has been open for ${duration}.`,
  ];
  if (mitigation) sentences.push(`Mitigated by: ${mitigation.summary}.`);
  if (view.resolutionSummary) sentences.push(`Resolution: ${view.resolutionSummary}.`);
  return sentences.join(' ').replace(/\.\./g, '.');
}

function detectionFacts(view: IncidentView): string[] {
  const facts: string[] = [];
  const declared = formatDateTimeUtc(view.declaredAt);
  if (view.impactStartedAt) {
    const lag = formatElapsed(view.declaredAt.getTime() - view.impactStartedAt.getTime());
    facts.push(`Impact started ${formatDateTimeUtc(view.impactStartedAt)}; declared ${declared}, ${lag} later.`);
  } else {
    facts.push(`Declared ${declared}; the impact start was not recorded.`);
  }
  const firstTriage = view.triages[0];
  if (firstTriage)
    facts.push(`First triage ${formatDateTimeUtc(firstTriage.at)}: ${firstTriage.headline || 'no findings'}.`);
  const firstUpdate = view.updates[0];
  if (firstUpdate) facts.push(`First status update ${formatDateTimeUtc(firstUpdate.at)} (${firstUpdate.format}).`);
  return facts;
}

function lastUpdateText(view: IncidentView, wanted: (format: string) => boolean): string | null {
  const update = [...view.updates].reverse().find((entry) => wanted(entry.format));
  return update ? update.text.trimEnd().replace(/```/g, "'''") : null;
}

/**
 * Composes a blameless postmortem from the incident's log. Facts come from the log (times,
 * metrics, timeline, actions, action items); what only people know comes from `answers`
 * or stays a marked prompt for the author; nothing is invented.
 */
export function composePostmortem(view: IncidentView, answers: PostmortemAnswers, clock: Clock): Postmortem {
  const now = clock.now();
  const impactStart = view.impactStartedAt ?? view.declaredAt;
  const end = view.resolvedAt ?? now;
  const duration = formatElapsed(end.getTime() - impactStart.getTime());
  const { metrics, times, warnings } = computeMetrics(view, clock);
  const sections = Object.fromEntries(
    POSTMORTEM_QUESTIONS.map(({ key, todo }) => [key, { text: answers[key]?.trim() || null, todo }]),
  ) as Record<PostmortemQuestionKey, AuthorSection>;
  return {
    incidentId: view.id,
    title: view.title,
    status: 'Draft',
    generatedAt: formatDateTimeUtc(now),
    date: formatDateUtc(view.declaredAt),
    severity: view.severity,
    services: view.services.length > 0 ? view.services.join(', ') : 'none recorded',
    commander: view.commander ?? null,
    responders: view.roles,
    impactStartedAt: formatDateTimeUtc(impactStart),
    impactStartRecorded: view.impactStartedAt !== undefined,
    declaredAt: formatDateTimeUtc(view.declaredAt),
    mitigatedAt: times.mitigatedAt ? formatDateTimeUtc(new Date(times.mitigatedAt)) : null,
    resolvedAt: view.resolvedAt ? formatDateTimeUtc(view.resolvedAt) : null,
    duration,
    factSummary: factSummary(view, duration),
    lastImpact: [...view.updates].reverse().find((update) => update.impact)?.impact ?? null,
    metrics,
    metricWarnings: warnings,
    timeline: buildTimeline(view),
    detectionFacts: detectionFacts(view),
    leads: view.triages.flatMap((triage) =>
      (triage.suspects ?? []).map((suspect) => `${describeSuspect(suspect)}${suspect.why ? ` (${suspect.why})` : ''}`),
    ),
    mitigations: view.actions
      .filter((action) => !action.undoes)
      .map((action) => `${action.summary} (${action.phase}${action.undoneBy ? ', later undone' : ''})`),
    actionItems: view.notes
      .filter((note) => note.kind === 'action-item')
      .map((note) => ({
        text: note.text,
        type: note.itemType ?? 'unclassified',
        owner: note.owner ?? 'unassigned',
        due: note.due ?? 'not set',
      })),
    decisions: view.notes
      .filter((note) => note.kind === 'decision')
      .map((note) => `${formatDateTimeUtc(note.at)}: ${note.text}`),
    evidence: view.triages.map((triage) => triage.evidence).filter((path): path is string => Boolean(path)),
    updateCount: view.updates.length,
    lastInternalUpdate: lastUpdateText(view, (format) => format !== 'statuspage'),
    lastExternalUpdate: lastUpdateText(view, (format) => format === 'statuspage'),
    sections,
  };
}
