import type { Clock } from '../clock.js';
import type { IncidentEvent, StatusState, TypedEvent } from './event.js';
import { sortEvents } from './incidents.js';
import { computeMetrics, type IncidentTimes } from './metrics.js';
import type { EventRef, IncidentState } from './state-types.js';

export type {
  ActionPhaseEntry,
  ActionRecord,
  EventRef,
  IncidentState,
  IncidentStateName,
  NoteEntry,
  RoleChange,
  SeverityChange,
  StatusChange,
  TriageEntry,
  UpdateEntry,
} from './state-types.js';

export interface DeriveOptions {
  id?: string;
  /** The severity table, for the update cadence (config.severities). */
  severities?: readonly { name: string; updateCadenceMinutes: number | null }[];
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
    open: true,
    commander: declared?.data.commander,
    services: [...(declared?.data.services ?? [])],
    declaredBy: declared?.actor,
    times: { impactStartedAt: declared?.data.impactStartedAt ?? declaredAt, declaredAt },
    impactStartGiven: Boolean(declared?.data.impactStartedAt),
    metrics: [],
    elapsedMs: 0,
    roles: declared?.data.commander ? { commander: declared.data.commander } : {},
    roleHistory: [],
    severityHistory: [],
    statusHistory: [],
    actions: [],
    updates: [],
    lastUpdate: undefined,
    notes: [],
    decisions: [],
    actionItems: [],
    triages: [],
    postmortems: [],
    resolution: undefined,
    eventCount: sorted.length,
    firstEventAt: sorted[0]?.at,
    lastEventAt: sorted.at(-1)?.at,
    nextUpdateDueAt: undefined,
    updateOverdue: false,
  };
}

function applyEvent(state: IncidentState, event: IncidentEvent): void {
  switch (event.type) {
    case 'severity':
      state.severityHistory.push({ ...ref(event), ...event.data });
      state.severity = event.data.to;
      break;
    case 'status': {
      const effectiveAt = event.data.at ?? event.at;
      state.statusHistory.push({ ...ref(event), state: event.data.state, effectiveAt, reason: event.data.reason });
      // A late acknowledgement does not move a mitigated incident back; other states may regress.
      if (state.state !== 'resolved' && (event.data.state !== 'acknowledged' || state.state === 'declared')) {
        state.state = event.data.state;
      }
      setEarliest(state.times, timeKeyOf(event.data.state), effectiveAt);
      break;
    }
    case 'role':
      state.roleHistory.push({ ...ref(event), ...event.data });
      state.roles[event.data.role] = event.data.name;
      if (event.data.role === 'commander') state.commander = event.data.name;
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
      break;
    case 'action':
      applyAction(state, event);
      break;
    case 'update':
      state.updates.push({ ...ref(event), ...event.data });
      state.lastUpdate = state.updates.at(-1);
      break;
    case 'resolved': {
      const at = event.data.at ?? event.at;
      if (state.state !== 'resolved') {
        state.resolution = { summary: event.data.summary, at };
        state.times.resolvedAt = at;
      }
      state.statusHistory.push({ ...ref(event), state: 'resolved', effectiveAt: at, reason: event.data.summary });
      state.state = 'resolved';
      state.open = false;
      break;
    }
    case 'postmortem':
      state.postmortems.push({ ...ref(event), path: event.data.path });
      break;
    default:
      break;
  }
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

function applyAction(state: IncidentState, event: TypedEvent<'action'> & IncidentEvent): void {
  const data = event.data;
  let record = state.actions.find((a) => a.actionId === data.actionId);
  if (!record) {
    record = {
      actionId: data.actionId,
      action: data.action,
      playbook: data.playbook,
      step: data.step,
      context: data.context,
      namespace: data.namespace,
      target: data.target,
      summary: data.summary,
      phases: [],
      latestPhase: data.phase,
      firstAt: event.at,
      lastAt: event.at,
      dryRun: Boolean(data.dryRun),
    };
    state.actions.push(record);
  }
  record.phases.push({ ...ref(event), phase: data.phase, data });
  record.latestPhase = data.phase;
  record.summary = data.summary;
  record.lastAt = event.at;
  if (data.inverse !== undefined) record.inverse = data.inverse;
  if (data.error) record.error = data.error;
  if (data.undoes) {
    record.undoes = data.undoes;
    const target = state.actions.find((a) => a.actionId === data.undoes);
    if (target) target.undoneBy = data.actionId;
  }
  // The first verified (real, not dry-run) mitigation marks the incident mitigated; verifying an
  // undo does not, since it puts back what was there before.
  if (data.phase === 'verified' && !data.dryRun && !record.undoes) {
    setEarliest(state.times, 'mitigatedAt', event.at);
    if (state.state !== 'resolved' && !['mitigated', 'monitoring'].includes(state.state)) state.state = 'mitigated';
  }
}

function finish(state: IncidentState, sorted: readonly IncidentEvent[], clock: Clock, options: DeriveOptions): void {
  const now = clock.now();
  state.metrics = computeMetrics(state.times);
  const end = state.times.resolvedAt ? Date.parse(state.times.resolvedAt) : now.getTime();
  state.elapsedMs = Math.max(0, end - Date.parse(state.times.impactStartedAt));
  state.eventCount = sorted.length;
  state.nextUpdateDueAt = nextUpdateDue(state, options);
  state.updateOverdue =
    state.open && state.nextUpdateDueAt !== undefined && Date.parse(state.nextUpdateDueAt) < now.getTime();
}

function nextUpdateDue(state: IncidentState, options: DeriveOptions): string | undefined {
  if (!state.open) return undefined;
  if (state.lastUpdate?.nextUpdateAt) return state.lastUpdate.nextUpdateAt;
  const cadence = options.severities?.find((s) => s.name === state.severity)?.updateCadenceMinutes;
  if (!cadence) return undefined;
  const from = state.lastUpdate?.at ?? state.times.declaredAt;
  return new Date(Date.parse(from) + cadence * 60_000).toISOString();
}
