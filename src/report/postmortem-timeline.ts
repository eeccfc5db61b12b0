import type { ActionPhase, IncidentEvent } from '../incident/event.js';
import { type ActionRecord, type IncidentState, performedActions } from '../incident/state.js';
import { describeSuspect } from './next-step.js';

export interface TimelineRow {
  /** ISO instant, for sorting and machine use. */
  at: string;
  /** "2026-01-10 14:03:00" (UTC). */
  time: string;
  event: string;
  detail: string;
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

function row(at: Date | string, event: string, detail = ''): TimelineRow {
  return { at: new Date(at).toISOString(), time: timeOf(at), event, detail };
}

function actionRow(action: ActionRecord): TimelineRow {
  const how = [action.playbook && `playbook ${action.playbook}`, action.step && `step ${action.step}`, action.action]
    .filter(Boolean)
    .join(', ');
  const phase = RESULT_WORD[action.latestPhase];
  const word = action.error ? `${phase}: ${action.error}` : phase;
  const result = action.undoneBy ? `${word}, later undone` : word;
  const label = action.undoes ? 'Undo' : 'Action';
  return row(
    action.firstAt,
    `${label}: ${action.summary}`,
    `Result: ${result} at ${timeOf(action.lastAt)} UTC (${how})`,
  );
}

function eventRow(event: IncidentEvent): TimelineRow | undefined {
  switch (event.type) {
    case 'declared': {
      const d = event.data;
      const who = d.commander ? `, commander ${d.commander}` : '';
      const services = d.services.length > 0 ? `; services: ${d.services.join(', ')}` : '';
      return row(event.at, `Declared ${d.severity}: ${d.title}`, `by ${event.actor}${who}${services}`);
    }
    case 'severity':
      return row(
        event.at,
        `Severity ${event.data.from ? `${event.data.from} → ` : ''}${event.data.to}`,
        event.data.reason ?? '',
      );
    case 'status':
      return row(event.data.at ?? event.at, `Status: ${event.data.state}`, event.data.reason ?? '');
    case 'role':
      return row(
        event.at,
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
      const detail = [message, next].filter(Boolean).join(' ');
      return row(event.at, `Status update (${event.data.format}): ${event.data.status}`, detail);
    }
    case 'resolved':
      return row(event.data.at ?? event.at, 'Resolved', event.data.summary ?? '');
    default:
      // Actions are folded into one row each; postmortem events are about this document.
      return undefined;
  }
}

function noteRow(event: Extract<IncidentEvent, { type: 'note' }>): TimelineRow {
  const d = event.data;
  if (d.kind === 'action-item') {
    const extra = [d.itemType, d.owner && `owner ${d.owner}`, d.due && `due ${d.due}`].filter(Boolean).join(', ');
    return row(event.at, `Action item: ${d.text}`, extra);
  }
  return row(event.at, `${d.kind === 'decision' ? 'Decision' : 'Note'}: ${d.text}`, `by ${event.actor}`);
}

function triageRow(event: Extract<IncidentEvent, { type: 'triage' }>): TimelineRow {
  const d = event.data;
  const counts = d.summary ? `${d.summary.critical} critical, ${d.summary.warning} warning` : '';
  const findings = (d.findings ?? [])
    .filter((finding) => finding.severity === 'critical')
    .slice(0, 3)
    .map((finding) => finding.title);
  const suspects = (d.suspects ?? []).map((suspect) => `suspect ${describeSuspect(suspect)}`);
  const parts = [counts, ...findings, ...suspects, d.evidence && `evidence: ${d.evidence}`].filter(Boolean);
  return row(event.at, `Triage: ${d.headline || 'no findings'}`, parts.join('; '));
}

/**
 * The timeline of an incident in UTC, oldest first: declaration, severity, status and role
 * changes, notes, triage findings and suspects, each action with its result, each status
 * update, and the resolution.
 */
export function buildTimeline(incident: IncidentState): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const event of incident.events) {
    const entry = eventRow(event);
    if (entry) rows.push(entry);
  }
  for (const action of performedActions(incident)) rows.push(actionRow(action));
  return rows.sort((a, b) => a.at.localeCompare(b.at));
}
