import type { Clock } from '../clock.js';
import type { EvidencePart, SavedEvidence } from './compressed-evidence.js';
import { IncidentMovedError } from './errors.js';
import { EVENT_VERSION, type EventDataMap, type EventType, type TypedEvent } from './event.js';
import { type EvidenceContent, type PlacedEvidence, writeCompressedEvidence, writeEvidence } from './evidence-files.js';
import { newEventId } from './ids.js';
import { declaredIdIn, findIncidentByDeclaration, holdsEvent, resolveIncidentId } from './incidents.js';
import { actorFrom, type Env, eventsFile, incHome } from './paths.js';
import { redactValue } from './redact.js';
import { appendAfterReading, assertWritable, readLog } from './store.js';

// Readers of the log, re-exported so users of the recorder find them in one place.
export { readIncident } from './incidents.js';
export { incHome } from './paths.js';
export { deriveIncidentState, type IncidentState } from './state.js';

export interface RecorderOptions {
  env: Env;
  clock: Clock;
  /** `--incident ID`; default the current incident. */
  incident?: string;
}

/** Records events and evidence in one incident, or nothing when there is none. */
export interface Recorder {
  readonly incidentId: string | undefined;
  /** Appends one event (redacted); undefined when there is no incident. */
  record<T extends EventType>(type: T, data: EventDataMap[T]): Promise<TypedEvent<T> | undefined>;
  /**
   * Saves a file under the incident's `evidence/` (redacted, never overwriting: a suffix is added
   * if the name is taken); returns its path relative to the incident folder, or undefined.
   */
  saveEvidence(name: string, content: EvidenceContent): Promise<string | undefined>;
  /**
   * Saves a JSON document gzip-compressed, written part by part as `parts()` yields them (each value
   * redacted); the same naming rules. Returns its path and size, or undefined when there is no incident.
   */
  saveCompressedEvidence(name: string, parts: () => Iterable<EvidencePart>): Promise<SavedEvidence | undefined>;
}

/**
 * Opens the recorder for `--incident ID` (which must exist) or the current incident.
 * Throws `CorruptLogError` (exit 2) if the log has a damaged line, before the command does anything.
 */
export async function openRecorder(options: RecorderOptions): Promise<Recorder> {
  const home = incHome(options.env);
  const opened = await resolveIncidentId(home, options.incident);
  if (opened === undefined) return NO_RECORDER;
  const log = await readLog(eventsFile(home, opened));
  assertWritable(eventsFile(home, opened), log);
  const actor = actorFrom(options.env);
  // A triage or a run records long after it opened the incident: it follows the incident if a sync renamed it meanwhile.
  const declaredId = declaredIdIn(log.events);
  let id = opened;
  // Evidence follows the incident too, and the records after it go where it went.
  const placed = async (saving: Promise<PlacedEvidence>): Promise<SavedEvidence> => {
    const evidence = await saving;
    id = evidence.id;
    return { path: evidence.path, bytes: evidence.bytes };
  };
  return {
    get incidentId() {
      return id;
    },
    record: async (type, data) => {
      const appended = await appendToIncident(home, id, { type, data, clock: options.clock, actor, declaredId });
      id = appended.id;
      return appended.event;
    },
    saveEvidence: async (name, content) => (await placed(writeEvidence({ home, id, declaredId }, name, content))).path,
    saveCompressedEvidence: async (name, parts) =>
      placed(writeCompressedEvidence({ home, id, declaredId }, name, parts)),
  };
}

const NO_RECORDER: Recorder = {
  incidentId: undefined,
  record: async () => undefined,
  saveEvidence: async () => undefined,
  saveCompressedEvidence: async () => undefined,
};

export interface AppendEventOptions<T extends EventType> {
  type: T;
  data: EventDataMap[T];
  clock: Clock;
  actor: string;
  /**
   * The incident's `declared` event, when the caller opened the incident earlier: a file that holds
   * another incident by now (a sync renamed this one) is refused with IncidentMovedError.
   */
  declaredId?: string;
}

/**
 * Builds, redacts and appends one event. The log is checked first: a corrupt line, or another
 * incident than the one expected, makes this throw with nothing written.
 */
export async function appendEvent<T extends EventType>(
  file: string,
  options: AppendEventOptions<T>,
): Promise<TypedEvent<T>> {
  // The check and the write go through one descriptor: a sync that renames the incident between
  // them moves this file with its folder, so the event still joins the incident that was checked.
  return appendAfterReading(
    file,
    (log): TypedEvent<T> => {
      assertWritable(file, log);
      if (options.declaredId !== undefined && !holdsEvent(log.events, options.declaredId)) {
        throw new IncidentMovedError(file);
      }
      return {
        v: EVENT_VERSION,
        id: newEventId(options.clock),
        at: options.clock.now().toISOString(),
        type: options.type,
        actor: options.actor,
        data: redactValue(options.data),
      };
    },
    { create: options.declaredId === undefined },
  );
}

/**
 * Appends to the incident declared by `declaredId`, following it to its new id if a sync renamed it
 * since the caller opened it (a teammate's incident took its id). Returns the event and the id.
 */
export async function appendToIncident<T extends EventType>(
  home: string,
  id: string,
  options: AppendEventOptions<T>,
): Promise<{ id: string; event: TypedEvent<T> }> {
  try {
    return { id, event: await appendEvent(eventsFile(home, id), options) };
  } catch (error) {
    if (!(error instanceof IncidentMovedError) || options.declaredId === undefined) throw error;
    const moved = await findIncidentByDeclaration(home, options.declaredId);
    if (moved === undefined) throw error;
    return { id: moved, event: await appendEvent(eventsFile(home, moved), options) };
  }
}
