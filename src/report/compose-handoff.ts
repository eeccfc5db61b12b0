import type { Clock } from '../clock.js';
import type { SeverityCadence } from './cadence.js';
import { formatClockUtc, formatDateTimeUtc, formatElapsed } from './format-time.js';
import type { IncidentView } from './incident-view.js';
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

function openEntry(view: IncidentView, now: Date, severities: readonly SeverityCadence[]): HandoffOpenIncident {
  const due = nextUpdateDue(view, now, severities);
  const nextUpdate =
    due.kind === 'none'
      ? 'none planned'
      : due.overdue
        ? `OVERDUE by ${formatElapsed(due.overdueMs)} (was due ${formatClockUtc(due.at)})`
        : formatClockUtc(due.at);
  return {
    id: view.id,
    title: view.title,
    severity: view.severity,
    state: STATE_LABEL[view.status] ?? view.status,
    commander: view.commander ?? 'nobody',
    duration: formatElapsed(now.getTime() - (view.impactStartedAt ?? view.declaredAt).getTime()),
    nextUpdate,
    overdue: due.kind === 'due' && due.overdue,
  };
}

function watchList(
  open: readonly IncidentView[],
  recent: readonly IncidentView[],
  now: Date,
  severities: readonly SeverityCadence[],
): string[] {
  const watch: string[] = [];
  for (const view of open) {
    const due = nextUpdateDue(view, now, severities);
    if (due.kind === 'due' && due.overdue) {
      watch.push(
        `${view.id}: status update overdue by ${formatElapsed(due.overdueMs)} (inc update --incident ${view.id})`,
      );
    }
    if (!view.commander)
      watch.push(`${view.id}: no commander assigned (inc role commander NAME --incident ${view.id})`);
    watch.push(
      `${view.id}: unresolved ${view.severity}, ${STATE_LABEL[view.status] ?? view.status}; resolve with inc resolve --incident ${view.id} once healthy`,
    );
  }
  for (const view of [...open, ...recent]) {
    for (const item of view.notes.filter((note) => note.kind === 'action-item')) {
      const overdue = item.due && item.due < now.toISOString().slice(0, 10) ? ' (OVERDUE)' : '';
      const who = item.owner ? `owner ${item.owner}` : 'no owner';
      watch.push(`${view.id}: action item "${item.text}" (${who}, due ${item.due ?? 'not set'})${overdue}`);
    }
  }
  for (const view of recent) {
    if (view.status === 'resolved' && !view.postmortemPath && /^(SEV1|SEV2)$/i.test(view.severity)) {
      watch.push(`${view.id}: ${view.severity} resolved without a postmortem (inc postmortem --incident ${view.id})`);
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
  views: readonly IncidentView[],
  clock: Clock,
  severities: readonly SeverityCadence[] = [],
  windowDays: number = HANDOFF_WINDOW_DAYS,
): Handoff {
  const now = clock.now();
  const since = now.getTime() - windowDays * 86_400_000;
  const open = views.filter((view) => view.status !== 'resolved');
  const recent = views.filter(
    (view) => view.status === 'resolved' && (view.resolvedAt ?? view.declaredAt).getTime() >= since,
  );
  const openEntries = open.map((view) => openEntry(view, now, severities));
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
    recent: recent.map((view) => ({
      id: view.id,
      title: view.title,
      severity: view.severity,
      state: STATE_LABEL[view.status] ?? view.status,
      declared: formatDateTimeUtc(view.declaredAt),
      resolved: view.resolvedAt ? formatDateTimeUtc(view.resolvedAt) : 'open',
      postmortem: view.postmortemPath ? 'written' : 'not written',
    })),
    watch: watchList(open, recent, now, severities),
  };
}
