import type { Clock } from '../clock.js';
import { IncError } from '../errors.js';
import type { SeverityRules } from '../severity-table.js';
import { wasNotDelivered } from './delivery.js';
import type { IncidentEvent, StatusState, TypedEvent } from './event.js';
import { sortEvents } from './incidents.js';
import { computeMetrics, type IncidentTimes } from './metrics.js';
import { postmortemRule } from './postmortem-advice.js';
import { deadlineAcross, type SeverityTimeline, severityTimeline } from './severity-deadline.js';
import { applyAction, raiseUpdateStatus } from './state-actions.js';
import type { DeclaredIncident, EventRef, IncidentState } from './state-types.js';
import { computeTargets, computeTimeBox } from './targets.js';
import { UPDATE_STATUSES, type UpdateStatus } from './update-status.js';

export {
  appliedChanges,
  performedActions,
  recordedMitigations,
  unappliedAttempts,
  wasApplied,
} from './state-actions.js';

export type {
  ActionPhaseEntry,
  ActionRecord,
  AlertEntry,
  DeclaredIncident,
  EscalationEntry,
  EventRef,
  IncidentState,
  IncidentStateName,
  NoteEntry,
  RoleChange,
  SeverityChange,
  StatusChange,
  TargetStatus,
  TimeBox,
  TriageEntry,
  TriageSuspect,
  UpdateEntry,
} from './state-types.js';

/** Role names that make someone the incident commander. */
const COMMANDER_ROLES = new Set(['commander', 'ic', 'incident-commander', 'incident commander']);

export interface DeriveOptions {
  id?: string;
  /** The severity table, for the update cadence and the targets (config.severities). */
  severities?: readonly SeverityRules[];
  /** The investigation's time-box in minutes (config.timeBoxMinutes); without it, none. */
  timeBoxMinutes?: number;
}

function ref(event: IncidentEvent): EventRef {
  return { eventId: event.id, at: event.at, actor: event.actor };
}

/**
 * Derives an incident's state from its events (in any order: they are sorted by time first).
 * Pure: the same events and clock always give the same state.
 */
export function deriveIncidentState(
  events: readonly IncidentEvent[],
  clock: Clock,
  options: DeriveOptions = {},
): IncidentState {
  const sorted = sortEvents(events);
  const declared = sorted.find((e): e is TypedEvent<'declared'> & IncidentEvent => e.type === 'declared');
  const state = emptyState(options.id, declared, sorted);
  for (const event of sorted) applyEvent(state, event);
  finish(state, sorted, clock, options);
  return state;
}

/**
 * The projection of one incident for reports: as `deriveIncidentState`, but a log without its
 * `declared` event is refused, since nothing can be reported of it.
 */
export function deriveDeclaredIncident(
  id: string,
  events: readonly IncidentEvent[],
  clock: Clock,
  options: Omit<DeriveOptions, 'id'> = {},
): DeclaredIncident {
  if (!events.some((event) => event.type === 'declared')) {
    throw new IncError(`incident ${id} has no "declared" event, so its log is incomplete`, {
      code: 'INCOMPLETE_LOG',
      hint: `inspect its events.jsonl (inc log --incident ${id})`,
    });
  }
  return { ...deriveIncidentState(events, clock, { ...options, id }), id };
}

function emptyState(
  id: string | undefined,
  declared: TypedEvent<'declared'> | undefined,
  sorted: readonly IncidentEvent[],
): IncidentState {
  const declaredAt = declared?.at ?? sorted[0]?.at ?? new Date(0).toISOString();
  return {
    id,
    title: declared?.data.title ?? '(untitled incident)',
    severity: declared?.data.severity ?? 'unknown',
    state: 'declared',
    updateStatus: 'investigating',
    open: true,
    commander: declared?.data.commander || undefined,
    services: [...(declared?.data.services ?? [])],
    declaredBy: declared?.actor,
    times: { impactStartedAt: declared?.data.impactStartedAt ?? declaredAt, declaredAt },
    impactStartGiven: Boolean(declared?.data.impactStartedAt),
    practice: declared?.data.practice === true,
    paged: declared?.data.fromAlert !== undefined,
    alerts: [],
    falsePositive: false,
    metrics: [],
    elapsedMs: 0,
    roles: declared?.data.commander ? { commander: declared.data.commander } : {},
    roleHistory: [],
    severityHistory: [],
    statusHistory: [],
    actions: [],
    updates: [],
    lastUpdate: undefined,
    undeliveredUpdate: undefined,
    notes: [],
    decisions: [],
    actionItems: [],
    triages: [],
    suspects: [],
    postmortems: [],
    escalations: [],
    targets: [],
    postmortemMissing: false,
    timeBox: undefined,
    resolution: undefined,
    eventCount: sorted.length,
    firstEventAt: sorted[0]?.at,
    lastEventAt: sorted.at(-1)?.at,
    nextUpdateDueAt: undefined,
    updateOverdue: false,
    events: [...sorted],
  };
}

/** The update status a `status` event or an update's status stands for (acknowledging changes none). */
function updateStatusOf(state: string, from: 'status' | 'update'): UpdateStatus | undefined {
  // `inc mitigated` suggests the next update says "monitoring"; an update's own word stays.
  if (state === 'mitigated' && from === 'status') return 'monitoring';
  return (UPDATE_STATUSES as readonly string[]).includes(state) ? (state as UpdateStatus) : undefined;
}

function applyEvent(state: IncidentState, event: IncidentEvent): void {
  switch (event.type) {
    case 'alert':
      state.alerts.push({ ...ref(event), ...event.data });
      setEarliest(state.times, 'alertedAt', event.data.startsAt);
      break;
    case 'impact':
      // Dated again later (a teammate found an earlier start): the latest dating counts, as one edits a field.
      state.times.impactStartedAt = event.data.startedAt;
      state.impactStartGiven = true;
      break;
    case 'severity':
      state.severityHistory.push({ ...ref(event), ...event.data });
      state.severity = event.data.to;
      break;
    case 'status':
      applyStatus(state, event);
      break;
    case 'role':
      state.roleHistory.push({ ...ref(event), ...event.data });
      state.roles[event.data.role] = event.data.name;
      if (COMMANDER_ROLES.has(event.data.role.toLowerCase())) state.commander = event.data.name;
      break;
    case 'note': {
      const entry = { ...ref(event), ...event.data };
      state.notes.push(entry);
      if (event.data.kind === 'decision') state.decisions.push(entry);
      if (event.data.kind === 'action-item') state.actionItems.push(entry);
      break;
    }
    case 'triage':
      state.triages.push({ ...ref(event), ...event.data });
      if ((event.data.suspects ?? []).length > 0) {
        state.suspects = [...event.data.suspects];
        raiseUpdateStatus(state, 'identified');
      }
      break;
    case 'action':
      applyAction(state, event, ref(event), (at) => markMitigated(state, at));
      break;
    case 'update': {
      const entry = { ...ref(event), ...event.data };
      state.updates.push(entry);
      // An update the webhook refused reached nobody: the cadence still runs from the last one sent.
      if (wasNotDelivered(entry)) state.undeliveredUpdate = entry;
      else {
        state.lastUpdate = entry;
        state.undeliveredUpdate = undefined;
      }
      state.updateStatus = updateStatusOf(event.data.status, 'update') ?? state.updateStatus;
      break;
    }
    case 'resolved':
      applyResolved(state, event);
      break;
    case 'escalation':
      state.escalations.push({ ...ref(event), ...event.data });
      break;
    case 'postmortem':
      state.postmortems.push({ ...ref(event), path: event.data.path });
      break;
    default:
      break;
  }
}

function applyStatus(state: IncidentState, event: TypedEvent<'status'>): void {
  const effectiveAt = event.data.at ?? event.at;
  state.statusHistory.push({ ...ref(event), state: event.data.state, effectiveAt, reason: event.data.reason });
  // A late acknowledgement does not move a mitigated incident back; other states may regress.
  if (state.state !== 'resolved' && (event.data.state !== 'acknowledged' || state.state === 'declared')) {
    state.state = event.data.state;
  }
  setEarliest(state.times, timeKeyOf(event.data.state), effectiveAt);
  state.updateStatus = updateStatusOf(event.data.state, 'status') ?? state.updateStatus;
}

function applyResolved(state: IncidentState, event: TypedEvent<'resolved'>): void {
  const at = event.data.at ?? event.at;
  if (state.state !== 'resolved') {
    state.resolution = { summary: event.data.summary, at };
    state.times.resolvedAt = at;
    state.falsePositive = event.data.falsePositive === true;
  }
  state.statusHistory.push({ ...ref(event), state: 'resolved', effectiveAt: at, reason: event.data.summary });
  state.state = 'resolved';
  state.updateStatus = 'resolved';
  state.open = false;
}

function timeKeyOf(status: StatusState): keyof IncidentTimes {
  const keys: Record<StatusState, keyof IncidentTimes> = {
    acknowledged: 'acknowledgedAt',
    investigating: 'investigatingAt',
    identified: 'identifiedAt',
    mitigated: 'mitigatedAt',
    monitoring: 'monitoringAt',
  };
  return keys[status];
}

function setEarliest(times: IncidentTimes, key: keyof IncidentTimes, at: string): void {
  const current = times[key];
  if (current === undefined || Date.parse(at) < Date.parse(current)) times[key] = at;
}

/** A verified mitigation: the first one sets the milestone and moves the state to mitigated. */
function markMitigated(state: IncidentState, at: string): void {
  setEarliest(state.times, 'mitigatedAt', at);
  if (state.state !== 'resolved' && !['mitigated', 'monitoring'].includes(state.state)) state.state = 'mitigated';
}

function finish(state: IncidentState, sorted: readonly IncidentEvent[], clock: Clock, options: DeriveOptions): void {
  const now = clock.now();
  state.metrics = computeMetrics(state.times);
  const end = state.times.resolvedAt ? Date.parse(state.times.resolvedAt) : now.getTime();
  state.elapsedMs = Math.max(0, end - Date.parse(state.times.impactStartedAt));
  state.eventCount = sorted.length;
  state.nextUpdateDueAt = nextUpdateDueAt(state, options.severities);
  state.updateOverdue =
    state.open && state.nextUpdateDueAt !== undefined && Date.parse(state.nextUpdateDueAt) < now.getTime();
  state.targets = computeTargets(state, (severity) => severityRulesOf(severity, options.severities), now);
  state.postmortemMissing =
    Boolean(options.severities && postmortemRule(state, options.severities)) && state.postmortems.length === 0;
  state.timeBox = options.timeBoxMinutes ? computeTimeBox(state, options.timeBoxMinutes, now) : undefined;
}

function severityRulesOf(name: string, severities: DeriveOptions['severities']): SeverityRules | undefined {
  return severities?.find((s) => s.name === name);
}

/**
 * When the next status update is due: the time the last update promised; before any update, the
 * severity's first-update target after the declaration (else one cadence); then one cadence after
 * the last update. A severity changed since moves it as it moves the targets (`deadlineAcross`): a
 * raise to SEV1 brings a SEV2 update's 30 minutes forward to 15 from the raise. Undefined once
 * resolved or without a cadence.
 */
export function nextUpdateDueAt(
  state: Pick<IncidentState, 'open' | 'lastUpdate' | 'severity' | 'severityHistory' | 'times'>,
  severities: DeriveOptions['severities'],
): string | undefined {
  if (!state.open) return undefined;
  const timeline = severityTimeline(state);
  const rulesOf = (severity: string) => severityRulesOf(severity, severities);
  const last = state.lastUpdate;
  if (!last) {
    const first = deadlineAcross(state.times.declaredAt, (s) => rulesOf(s)?.firstUpdateMinutes, timeline);
    return first ?? deadlineAcross(state.times.declaredAt, (s) => rulesOf(s)?.updateCadenceMinutes, timeline);
  }
  // The severity in force at the update set its promise; only the changes after it move it.
  const changes = timeline.changes.filter((change) => Date.parse(change.at) > Date.parse(last.at));
  const initial = severityAt(timeline, last.at);
  return deadlineAcross(
    last.at,
    (s) => rulesOf(s)?.updateCadenceMinutes,
    { initial, changes },
    undefined,
    last.nextUpdateAt,
  );
}

function severityAt(timeline: SeverityTimeline, at: string): string {
  let severity = timeline.initial;
  for (const change of timeline.changes) if (Date.parse(change.at) <= Date.parse(at)) severity = change.to;
  return severity;
}
