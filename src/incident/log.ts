import type { Clock } from '../clock.js';
import type { SeverityRules } from '../severity-table.js';
import { NoIncidentError } from './errors.js';
import type { EventDataMap, EventType, IncidentEvent, TypedEvent } from './event.js';
import type { EvidenceTarget } from './evidence-files.js';
import { declaredIdIn, readIncident, readLastResolvedId, resolveIncidentId, unresolvedIncidents } from './incidents.js';
import { actorFrom, type Env, eventsFile, incHome } from './paths.js';
import { appendToIncident } from './recorder.js';
import { deriveIncidentState, type IncidentState } from './state.js';
import { assertWritable, type LogIssue } from './store.js';

/** An incident opened by a command that reads or writes it. */
export interface IncidentLog {
  home: string;
  id: string;
  file: string;
  events: IncidentEvent[];
  warnings: string[];
  issues: LogIssue[];
}

export interface OpenLogOptions {
  env: Env;
  /** `--incident ID`; default the current incident. */
  incident?: string;
  /** For the message when there is no incident: "inc note". */
  what?: string;
  /** True for commands that only read (the message then says nothing about recording). */
  reading?: boolean;
}

/**
 * Opens `--incident ID` or the current incident (a reader: else the incident resolved last);
 * throws `NoIncidentError` (exit 2) when there is none.
 */
export async function openIncidentLog(options: OpenLogOptions): Promise<IncidentLog> {
  const home = incHome(options.env);
  const id = await resolveIncidentId(home, options.incident, { orLastResolved: options.reading });
  if (id === undefined) {
    const [lastResolved, unresolved] = await Promise.all([readLastResolvedId(home), unresolvedIncidents(home)]);
    throw new NoIncidentError(options.what, options.reading, lastResolved, unresolved);
  }
  const { events, warnings, issues } = await readIncident(home, id);
  return { home, id, file: eventsFile(home, id), events, warnings, issues };
}

export interface WriteContext {
  env: Env;
  clock: Clock;
  severities?: readonly SeverityRules[];
  /** The investigation's time-box (config.timeBoxMinutes). */
  timeBoxMinutes?: number;
}

/** The state of an opened log, derived with the context's clock and severities. */
export function stateOf(log: IncidentLog, ctx: WriteContext): IncidentState {
  return deriveIncidentState(log.events, ctx.clock, {
    id: log.id,
    severities: ctx.severities,
    timeBoxMinutes: ctx.timeBoxMinutes,
  });
}

/** Appends one event to an opened log (refusing a corrupt log) and keeps the in-memory copy current. */
export async function appendToLog<T extends EventType>(
  log: IncidentLog,
  ctx: WriteContext,
  type: T,
  data: EventDataMap[T],
): Promise<TypedEvent<T>> {
  assertWritable(log.file, { events: log.events, issues: log.issues, endsWithNewline: true });
  const appended = await appendToIncident(log.home, log.id, {
    type,
    data,
    clock: ctx.clock,
    actor: actorFrom(ctx.env),
    declaredId: declaredIdIn(log.events),
  });
  pointAt(log, appended.id);
  log.events.push(appended.event as IncidentEvent);
  return appended.event;
}

/** Where an opened log's evidence goes: it follows the incident should a sync rename it. */
export function evidenceTargetOf(log: IncidentLog): EvidenceTarget {
  return { home: log.home, id: log.id, declaredId: declaredIdIn(log.events) };
}

function pointAt(log: IncidentLog, id: string): void {
  log.id = id;
  log.file = eventsFile(log.home, id);
}

/** Appends an event and says so with the state after it. */
export async function recordToLog<T extends EventType>(
  log: IncidentLog,
  ctx: WriteContext,
  type: T,
  data: EventDataMap[T],
): Promise<RecordOutcome<T>> {
  const event = await appendToLog(log, ctx, type, data);
  return { kind: 'recorded', event, state: stateOf(log, ctx) };
}

/** A change as read from the state before it: the event's data to record, or why the log already says so. */
export type PlannedChange<T extends EventType> = { record: EventDataMap[T] } | { unchanged: string };

/**
 * Records a change unless the log already says so: `plan` reads the state (and may refuse, throwing)
 * before anything is written, so the same command run twice records one event.
 */
export async function recordChange<T extends EventType>(
  log: IncidentLog,
  ctx: WriteContext,
  type: T,
  plan: (state: IncidentState) => PlannedChange<T>,
): Promise<RecordOutcome<T>> {
  const state = stateOf(log, ctx);
  const change = plan(state);
  if ('unchanged' in change) return { kind: 'unchanged', reason: change.unchanged, state };
  return recordToLog(log, ctx, type, change.record);
}

/** What a command that changes the log did: recorded an event, or nothing because it was already so. */
export type RecordOutcome<T extends EventType> =
  | { kind: 'recorded'; event: TypedEvent<T>; state: IncidentState }
  | { kind: 'unchanged'; reason: string; state: IncidentState };
