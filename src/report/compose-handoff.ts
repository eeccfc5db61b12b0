import type { Clock } from '../clock.js';
import { DEFAULT_SEVERITIES } from '../config.js';
import { addBusinessDays } from '../incident/business-days.js';
import { describeUndelivered } from '../incident/delivery.js';
import type { HandoffNote } from '../incident/handoff-notes.js';
import { postmortemRule } from '../incident/postmortem-advice.js';
import type { DeclaredIncident } from '../incident/state.js';
import type { SeverityCadence } from './cadence.js';
import { formatClockUtc, formatDateTimeUtc, formatDateUtc, formatElapsed } from './format-time.js';
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
  /** Free-text items from `inc handoff add`: things to watch, upcoming risks, maintenance. */
  notes: Array<{ number: number; text: string; by: string; at: string }>;
  /** Whom to call, from the config's contacts. */
  contacts: Array<{ name: string; contact: string }>;
}

/** What the handoff carries besides the incidents. */
export interface HandoffExtras {
  notes?: readonly HandoffNote[];
  contacts?: Readonly<Record<string, string>>;
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
  resolved: readonly DeclaredIncident[],
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
    const undelivered = undeliveredItem(incident);
    if (undelivered) watch.push(undelivered);
  }
  for (const incident of [...open, ...recent]) {
    for (const item of incident.notes.filter((note) => note.kind === 'action-item')) {
      const overdue = item.due && item.due < now.toISOString().slice(0, 10) ? ' (OVERDUE)' : '';
      const who = item.owner ? `owner ${item.owner}` : 'no owner';
      watch.push(`${incident.id}: action item "${item.text}" (${who}, due ${item.due ?? 'not set'})${overdue}`);
    }
  }
  for (const incident of resolved) {
    const missing = missingPostmortem(incident, now, severities);
    if (missing) watch.push(missing);
  }
  return watch;
}

/**
 * The last update, posted and not delivered: while open, or a resolution nobody was told of (an
 * update of another status is over once resolved, and inc update would refuse to resend it).
 */
function undeliveredItem(incident: DeclaredIncident): string | undefined {
  const update = incident.undeliveredUpdate;
  if (!update?.post || (!incident.open && update.status !== 'resolved')) return undefined;
  const what = update.status === 'resolved' ? 'the resolution update' : 'the last status update';
  return `${incident.id}: ${what} was ${describeUndelivered(update.post)} (inc update --resend --incident ${incident.id})`;
}

/**
 * A resolved incident whose severity requires a postmortem and that has none: flagged whatever its
 * age, until one is written, with its due date.
 */
function missingPostmortem(
  incident: DeclaredIncident,
  now: Date,
  severities: readonly SeverityCadence[],
): string | undefined {
  const rule = postmortemRule(incident, severities.length > 0 ? severities : DEFAULT_SEVERITIES);
  const resolvedAt = incident.times.resolvedAt;
  if (!rule || !resolvedAt || incident.postmortems.length > 0) return undefined;
  const days = rule.withinBusinessDays;
  const was = rule.severity === incident.severity ? '' : ` (was ${rule.severity})`;
  const dueAt = new Date(addBusinessDays(resolvedAt, days));
  const due = `due ${formatDateUtc(dueAt)}${dueAt.getTime() < now.getTime() ? ', OVERDUE' : ''}`;
  return `${incident.id}: ${incident.severity}${was} resolved without a postmortem (${due}; inc postmortem --incident ${incident.id})`;
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
  extras: HandoffExtras = {},
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
    watch: watchList(
      open,
      recent,
      real.filter((incident) => incident.updateStatus === 'resolved'),
      now,
      severities,
    ),
    notes: (extras.notes ?? []).map((note, index) => ({
      number: index + 1,
      text: note.text,
      by: note.actor,
      at: formatDateTimeUtc(new Date(note.at)),
    })),
    contacts: Object.entries(extras.contacts ?? {}).map(([name, contact]) => ({ name, contact })),
  };
}
