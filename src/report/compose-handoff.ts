import type { Clock } from '../clock.js';
import type { DeclaredIncident } from '../incident/state.js';
import type { SeverityCadence } from './cadence.js';
import { formatClockUtc, formatDateTimeUtc, formatElapsed } from './format-time.js';
import { nextUpdateDue } from './update-due.js';

/** How far back "recent incidents" go by default. */
export const HANDOFF_WINDOW_DAYS = 7;

export interface HandoffOpenIncident {
  id: string;
  title: string;
  severity: string;
  state: string;
  commander: string;
  duration: string;
  nextUpdate: string;
  overdue: boolean;
}

export interface HandoffRecentIncident {
  id: string;
  title: string;
  severity: string;
  state: string;
  declared: string;
  resolved: string;
  postmortem: string;
}

/** The on-call handoff note: what the next person on call needs to know. */
export interface Handoff {
  generatedAt: string;
  windowDays: number;
  summary: string;
  open: HandoffOpenIncident[];
  recent: HandoffRecentIncident[];
  watch: string[];
}

const STATE_LABEL: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

function openEntry(incident: DeclaredIncident, now: Date, severities: readonly SeverityCadence[]): HandoffOpenIncident {
  const due = nextUpdateDue(incident, now, severities);
  const nextUpdate =
    due.kind === 'none'
      ? 'none planned'
      : due.overdue
        ? `OVERDUE by ${formatElapsed(due.overdueMs)} (was due ${formatClockUtc(due.at)})`
        : formatClockUtc(due.at);
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    state: STATE_LABEL[incident.updateStatus] ?? incident.updateStatus,
    commander: incident.commander ?? 'nobody',
    duration: formatElapsed(now.getTime() - Date.parse(incident.times.impactStartedAt)),
    nextUpdate,
    overdue: due.kind === 'due' && due.overdue,
  };
}

function watchList(
  open: readonly DeclaredIncident[],
  recent: readonly DeclaredIncident[],
  now: Date,
  severities: readonly SeverityCadence[],
): string[] {
  const watch: string[] = [];
  for (const incident of open) {
    const due = nextUpdateDue(incident, now, severities);
    if (due.kind === 'due' && due.overdue) {
      watch.push(
        `${incident.id}: status update overdue by ${formatElapsed(due.overdueMs)} (inc update --incident ${incident.id})`,
      );
    }
    if (!incident.commander)
      watch.push(`${incident.id}: no commander assigned (inc role commander NAME --incident ${incident.id})`);
    watch.push(
      `${incident.id}: unresolved ${incident.severity}, ${STATE_LABEL[incident.updateStatus] ?? incident.updateStatus}; resolve with inc resolve --incident ${incident.id} once healthy`,
    );
  }
  for (const incident of [...open, ...recent]) {
    for (const item of incident.notes.filter((note) => note.kind === 'action-item')) {
      const overdue = item.due && item.due < now.toISOString().slice(0, 10) ? ' (OVERDUE)' : '';
      const who = item.owner ? `owner ${item.owner}` : 'no owner';
      watch.push(`${incident.id}: action item "${item.text}" (${who}, due ${item.due ?? 'not set'})${overdue}`);
    }
  }
  for (const incident of recent) {
    if (
      incident.updateStatus === 'resolved' &&
      incident.postmortems.length === 0 &&
      /^(SEV1|SEV2)$/i.test(incident.severity)
    ) {
      watch.push(
        `${incident.id}: ${incident.severity} resolved without a postmortem (inc postmortem --incident ${incident.id})`,
      );
    }
  }
  return watch;
}

/**
 * Composes the on-call handoff from the incidents on this machine: open incidents with their
 * state, commander and next update; the incidents of the last seven days; and what to watch
 * (overdue updates, unresolved incidents, action items, missing postmortems).
 */
export function composeHandoff(
  incidents: readonly DeclaredIncident[],
  clock: Clock,
  severities: readonly SeverityCadence[] = [],
  windowDays: number = HANDOFF_WINDOW_DAYS,
): Handoff {
  const now = clock.now();
  const since = now.getTime() - windowDays * 86_400_000;
  // A game day on the practice cluster is nothing the next person on call has to know about.
  const real = incidents.filter((incident) => !incident.practice);
  const open = real.filter((incident) => incident.updateStatus !== 'resolved');
  const recent = real.filter(
    (incident) =>
      incident.updateStatus === 'resolved' &&
      Date.parse(incident.times.resolvedAt ?? incident.times.declaredAt) >= since,
  );
  const openEntries = open.map((incident) => openEntry(incident, now, severities));
  const overdue = openEntries.filter((entry) => entry.overdue).length;
  const summary =
    open.length === 0
      ? `No open incidents. ${recent.length} resolved in the last ${windowDays} day${windowDays === 1 ? '' : 's'}.`
      : `${open.length} open incident${open.length === 1 ? '' : 's'}${overdue ? ` (${overdue} with an overdue update)` : ''}; ${recent.length} resolved in the last ${windowDays} day${windowDays === 1 ? '' : 's'}.`;
  return {
    generatedAt: formatDateTimeUtc(now),
    windowDays,
    summary,
    open: openEntries,
    recent: recent.map((incident) => ({
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      state: STATE_LABEL[incident.updateStatus] ?? incident.updateStatus,
      declared: formatDateTimeUtc(new Date(incident.times.declaredAt)),
      resolved: incident.times.resolvedAt ? formatDateTimeUtc(new Date(incident.times.resolvedAt)) : 'open',
      postmortem: incident.postmortems.length > 0 ? 'written' : 'not written',
    })),
    watch: watchList(open, recent, now, severities),
  };
}
