import { describeActingAs } from '../incident/acting-as.js';
import { deliveryTarget, describeUndelivered } from '../incident/delivery.js';
import type { ActionPhase, IncidentEvent, UpdateData } from '../incident/event.js';
import { type ActionRecord, appliedChanges, type IncidentState, unappliedAttempts } from '../incident/state.js';
import { formatDueUtc } from './format-time.js';
import { describeSuspect } from './next-step.js';

export interface TimelineRow {
  /** ISO instant, for sorting and machine use. */
  at: string;
  /** "2026-01-10 14:03:00" (UTC). */
  time: string;
  event: string;
  detail: string;
  /** Who: the person who recorded it, or the alerting system for an alert. */
  who: string;
}

const RESULT_WORD: Record<ActionPhase, string> = {
  planned: 'planned only',
  applied: 'applied, not verified',
  verified: 'verified',
  failed: 'failed',
  undone: 'undone',
  stopped: 'stopped',
};

function timeOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** Text as a sentence: ends with a full stop unless it already ends with punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function row(at: Date | string, who: string, event: string, detail = ''): TimelineRow {
  return { at: new Date(at).toISOString(), time: timeOf(at), who, event, detail };
}

/** A row being built: triage rows carry what makes two of them the same, evidence aside. */
interface DraftRow extends TimelineRow {
  repeatKey?: string;
  /** The detail of such a row without its evidence, which a repeat of it adds to. */
  repeatDetail?: string;
}

/** Who applied an action: the actor of its first phase that changed something, else of its first phase. */
function actorOf(action: ActionRecord): string {
  const applied = action.phases.find((entry) => entry.phase === 'applied' || entry.phase === 'verified');
  return (applied ?? action.phases[0])?.actor ?? '';
}

function actionRow(action: ActionRecord): TimelineRow {
  // The context too: an incident can span clusters, and the same deployment runs in each of them.
  const how = [
    action.playbook && `playbook ${action.playbook}`,
    action.step && `step ${action.step}`,
    action.action,
    action.context && `context ${action.context}`,
    action.actingAs && `as ${describeActingAs(action.actingAs)}`,
  ]
    .filter(Boolean)
    .join(', ');
  const phase = RESULT_WORD[action.latestPhase];
  const word = action.error ? `${phase}: ${action.error}` : phase;
  const result = action.undoneBy ? `${word}, later undone` : word;
  const label = action.undoes ? 'Undo' : 'Action';
  // A failed, declined or stopped attempt changed nothing: it is no action, but it is part of the story.
  if (!action.phases.some((entry) => ['applied', 'verified', 'undone'].includes(entry.phase))) {
    return row(action.lastAt, actorOf(action), `Not applied: ${action.summary}`, `Result: ${word} (${how})`);
  }
  return row(
    action.firstAt,
    actorOf(action),
    `${label}: ${action.summary}`,
    `Result: ${result} at ${timeOf(action.lastAt)} UTC (${how})`,
  );
}

function eventRow(event: IncidentEvent): DraftRow | undefined {
  switch (event.type) {
    case 'declared': {
      const d = event.data;
      const detail = [
        d.commander && `commander ${d.commander}`,
        d.services.length > 0 && `services: ${d.services.join(', ')}`,
      ]
        .filter(Boolean)
        .join('; ');
      return row(event.at, event.actor, `Declared ${d.severity}: ${d.title}`, detail);
    }
    case 'severity':
      return row(
        event.at,
        event.actor,
        `Severity ${event.data.from ? `${event.data.from} → ` : ''}${event.data.to}`,
        event.data.reason ?? '',
      );
    case 'status':
      return row(event.data.at ?? event.at, event.actor, `Status: ${event.data.state}`, event.data.reason ?? '');
    case 'role':
      return row(
        event.at,
        event.actor,
        `${event.data.name} is ${event.data.role}`,
        event.data.previous ? `was ${event.data.previous}` : '',
      );
    case 'note':
      return noteRow(event);
    case 'triage':
      return triageRow(event);
    case 'update': {
      const message = event.data.message ? sentence(event.data.message) : undefined;
      const next = event.data.nextUpdateAt ? `Next update due ${timeOf(event.data.nextUpdateAt)} UTC.` : undefined;
      const detail = [message, next, deliveryNote(event.data)].filter(Boolean).join(' ');
      return row(event.at, event.actor, `Status update (${event.data.format}): ${event.data.status}`, detail);
    }
    case 'escalation': {
      const d = event.data;
      const paging = d.paged
        ? 'paged'
        : d.page && !d.page.ok
          ? `not paged: ${describeUndelivered(d.page)}`
          : 'not paged';
      const detail = [paging, d.reason].filter(Boolean).join('; ');
      return row(
        event.at,
        event.actor,
        `Escalated${d.severity ? ` (${d.severity})` : ''} to ${d.to.join(', ')}`,
        detail,
      );
    }
    case 'alert':
      return row(
        event.at,
        event.actor,
        `Alert linked: ${event.data.name}`,
        `firing since ${timeOf(event.data.startsAt)} UTC`,
      );
    case 'resolved':
      return row(event.data.at ?? event.at, event.actor, 'Resolved', event.data.summary ?? '');
    default:
      // Actions are folded into one row each; postmortem events are about this document.
      return undefined;
  }
}

function noteRow(event: Extract<IncidentEvent, { type: 'note' }>): TimelineRow {
  const d = event.data;
  if (d.kind === 'action-item') {
    const extra = [d.priority, d.itemType, d.owner && `owner ${d.owner}`, d.due && `due ${formatDueUtc(d.due)}`]
      .filter(Boolean)
      .join(', ');
    return row(event.at, event.actor, `Action item: ${d.text}`, extra);
  }
  return row(event.at, event.actor, `${d.kind === 'decision' ? 'Decision' : 'Note'}: ${d.text}`);
}

function triageRow(event: Extract<IncidentEvent, { type: 'triage' }>): DraftRow {
  const d = event.data;
  const findings = (d.findings ?? [])
    .filter((finding) => finding.severity === 'critical')
    .slice(0, 3)
    .map((finding) => finding.title);
  const suspects = (d.suspects ?? []).map((suspect) => `suspect ${describeSuspect(suspect)}`);
  // The counts are the headline's, in the row's event column already.
  const parts = [...findings, ...suspects].filter(Boolean);
  const evidence = d.evidence ? `evidence: ${d.evidence}` : '';
  const drafted: DraftRow = row(
    event.at,
    event.actor,
    `Triage: ${d.headline || 'no findings'}`,
    [...parts, evidence].filter(Boolean).join('; '),
  );
  // Two results are the same with the same counts too, though the row shows them only in the headline.
  const counts = d.summary ? `${d.summary.critical} critical, ${d.summary.warning} warning` : '';
  drafted.repeatKey = `${drafted.event}\n${counts}\n${parts.join('; ')}`;
  drafted.repeatDetail = parts.join('; ');
  return drafted;
}

/**
 * Identical triage results in a row (a `--watch` or repeated runs while nothing changed) are one
 * row saying how often and until when; the evidence of each stays under Supporting information.
 */
function collapseRepeats(rows: readonly DraftRow[]): TimelineRow[] {
  const out: TimelineRow[] = [];
  let previous: { draft: DraftRow; row: TimelineRow; count: number } | undefined;
  for (const draft of rows) {
    if (previous && draft.repeatKey !== undefined && draft.repeatKey === previous.draft.repeatKey) {
      previous.count += 1;
      const base = previous.draft.repeatDetail ?? '';
      previous.row.detail = `${base}${base ? '; ' : ''}the same result ${previous.count} times, the last at ${draft.time} UTC`;
      continue;
    }
    const { repeatKey: _key, repeatDetail: _detail, ...plain } = draft;
    out.push(plain);
    previous = { draft, row: plain, count: 1 };
  }
  return out;
}

/** Who fired an alert: the alerting system, as a page's timeline names it. */
const ALERT_SOURCE = 'Alertmanager';

/** An alert, at the time it fired: the first one opens the timeline of a page. */
function alertRow(event: Extract<IncidentEvent, { type: 'alert' }>, firstAlertAt: string | undefined): TimelineRow {
  const d = event.data;
  const first = firstAlertAt !== undefined && Date.parse(d.startsAt) === Date.parse(firstAlertAt);
  const labels = Object.entries(d.labels)
    .filter(([key]) => key !== 'alertname')
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const summary = d.annotations.summary ? sentence(d.annotations.summary) : '';
  return row(
    d.startsAt,
    ALERT_SOURCE,
    `${first ? 'First alert fired' : 'Alert fired'}: ${d.name}`,
    [summary, labels && `Labels: ${labels}.`, `Linked by ${event.actor} at ${timeOf(event.at)} UTC.`]
      .filter(Boolean)
      .join(' '),
  );
}

/**
 * The timeline of an incident in UTC, oldest first: declaration, severity, status and role
 * changes, notes, triage findings and suspects, each action with its result, each status
 * update, and the resolution.
 */
export function buildTimeline(incident: IncidentState): TimelineRow[] {
  const rows: DraftRow[] = [];
  for (const event of incident.events) {
    const entry = event.type === 'alert' ? alertRow(event, incident.times.alertedAt) : eventRow(event);
    if (entry) rows.push(entry);
  }
  // Plans and dry runs changed nothing and were not attempts: only changes and attempts are rows.
  for (const action of [...appliedChanges(incident), ...unappliedAttempts(incident)]) rows.push(actionRow(action));
  return collapseRepeats(rows.sort((a, b) => a.at.localeCompare(b.at)));
}

/** What became of an update inc posted: "Posted to Slack.", "Not delivered to Slack (HTTP 500).", "Resent to Slack." */
function deliveryNote(data: UpdateData): string | undefined {
  if (!data.post) return undefined;
  if (!data.post.ok) return `${capitalise(describeUndelivered(data.post))}.`;
  return `${data.resends ? 'Resent' : 'Posted'} to ${deliveryTarget(data.post)}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
