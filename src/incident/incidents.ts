import { randomUUID } from 'node:crypto';
import { chmod, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { AmbiguousIncidentError, IncidentNotFoundError } from './errors.js';
import type { IncidentEvent } from './event.js';
import { INCIDENT_ID_PATTERN } from './ids.js';
import { currentFile, eventsFile, incidentDir, incidentsDir, lastResolvedFile } from './paths.js';
import { onStorage, StorageError } from './storage-error.js';
import { ensurePrivateDir, FILE_MODE, type LogIssue, readLog, syncDir } from './store.js';

/** Incident ids on this machine, oldest first (ids sort by declaration time). */
export async function listIncidentIds(home: string): Promise<string[]> {
  try {
    const entries = await readdir(incidentsDir(home), { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && INCIDENT_ID_PATTERN.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StorageError('read the folder', incidentsDir(home), error, 'nothing was done');
  }
}

/** The id named in `$INC_HOME/current`, if it still exists. */
export async function readCurrentId(home: string): Promise<string | undefined> {
  return readIdFile(home, currentFile(home));
}

/** The incident resolved last (it stopped being current then), if it still exists. */
export async function readLastResolvedId(home: string): Promise<string | undefined> {
  return readIdFile(home, lastResolvedFile(home));
}

async function readIdFile(home: string, file: string): Promise<string | undefined> {
  let id: string;
  try {
    id = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError('read', file, error, 'nothing was done');
  }
  if (!id) return undefined;
  const known = await listIncidentIds(home);
  return known.includes(id) ? id : undefined;
}

/** Makes an incident current: written beside and renamed, so readers never see half a file. */
export async function writeCurrentId(home: string, id: string): Promise<void> {
  await writeIdFile(home, currentFile(home), id);
}

/**
 * A resolved incident stops being current, so what is recorded later (a triage of another cluster
 * days after) never lands in it. It is remembered as the last resolved one for the wrap-up.
 */
export async function retireCurrentId(home: string, id: string): Promise<void> {
  if ((await readCurrentId(home)) !== id) return;
  await writeIdFile(home, lastResolvedFile(home), id);
  await onStorage('remove', currentFile(home), async () => {
    await rm(currentFile(home), { force: true });
    await syncDir(home);
  });
}

/**
 * Gives an incident another id: its folder is renamed (one atomic step: events, evidence and
 * postmortem move together) and the current and last-resolved pointers follow it. `to` must be free.
 */
export async function renameIncident(home: string, from: string, to: string): Promise<void> {
  const pointers = await Promise.all([rawIdFile(currentFile(home)), rawIdFile(lastResolvedFile(home))]);
  await onStorage('rename', incidentDir(home, from), async () => {
    await rename(incidentDir(home, from), incidentDir(home, to));
    await syncDir(incidentsDir(home));
  });
  if (pointers[0] === from) await writeIdFile(home, currentFile(home), to);
  if (pointers[1] === from) await writeIdFile(home, lastResolvedFile(home), to);
}

/**
 * The id an incident has now: `id` while its log still holds the `declared` event `declaredId`, else
 * the id a sync moved it to (it renames an incident whose id a teammate's took first). A command that
 * opened the incident before such a rename so records into it, never into the teammate's incident.
 */
export async function currentIdOf(home: string, id: string, declaredId: string | undefined): Promise<string> {
  if (declaredId === undefined || holdsEvent((await readLog(eventsFile(home, id))).events, declaredId)) return id;
  return (await findIncidentByDeclaration(home, declaredId)) ?? id;
}

/** The id of the `declared` event, which tells an incident apart from another one under its id. */
export function declaredIdIn(events: readonly IncidentEvent[]): string | undefined {
  return events.find((event) => event.type === 'declared')?.id;
}

/**
 * Whether a log holds the event with this id: how an incident is told apart from another one under
 * its id (a log merged by hand may hold two declarations, in any order).
 */
export function holdsEvent(events: readonly IncidentEvent[], eventId: string): boolean {
  return events.some((event) => event.id === eventId);
}

/** The incident on this machine whose `declared` event has this id, wherever a rename put it. */
export async function findIncidentByDeclaration(home: string, declaredId: string): Promise<string | undefined> {
  for (const id of await listIncidentIds(home)) {
    if (holdsEvent((await readLog(eventsFile(home, id))).events, declaredId)) return id;
  }
  return undefined;
}

async function rawIdFile(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').then(
    (text) => text.trim() || undefined,
    () => undefined,
  );
}

async function writeIdFile(home: string, target: string, id: string): Promise<void> {
  await ensurePrivateDir(home);
  const partial = `${target}.${randomUUID()}.tmp`;
  await onStorage('write', target, async () => {
    await writeFile(partial, `${id}\n`, { mode: FILE_MODE });
    await chmod(partial, FILE_MODE);
    await rename(partial, target);
    await syncDir(home);
  });
}

/**
 * The incident a command works on: `--incident ID` if given (it must exist), else the current one,
 * else (for commands that review, with `orLastResolved`) the incident resolved last, else undefined.
 */
export async function resolveIncidentId(
  home: string,
  explicit?: string,
  options: { orLastResolved?: boolean } = {},
): Promise<string | undefined> {
  if (explicit) {
    const known = await listIncidentIds(home);
    if (known.includes(explicit)) return explicit;
    const matches = prefixMatches(known, explicit);
    if (matches.length > 1) throw new AmbiguousIncidentError(explicit, matches);
    if (!matches[0]) throw new IncidentNotFoundError(explicit, known);
    return matches[0];
  }
  const current = await readCurrentId(home);
  if (current || !options.orLastResolved) return current;
  return readLastResolvedId(home);
}

/** Lets people type a prefix ("INC-20261123-1402") or the slug's start, as git does with hashes. */
function prefixMatches(known: readonly string[], text: string): string[] {
  return known.filter((id) => id.startsWith(text) || id.slice(18).startsWith(text));
}

export interface ReadIncidentResult {
  events: IncidentEvent[];
  /** Human lines about skipped lines ("events.jsonl line 7: …"), for stderr. */
  warnings: string[];
  issues: LogIssue[];
}

/**
 * The incidents on this machine not resolved, newest id first, with who declared them: for the
 * message of a command that found no current one (a teammate's, pulled by a sync, is never current).
 * An unreadable log is left out here; `inc list` reports it.
 */
export async function unresolvedIncidents(home: string): Promise<{ id: string; declaredBy: string }[]> {
  const ids = (await listIncidentIds(home)).sort().reverse();
  const found = await Promise.all(
    ids.map(async (id) => {
      try {
        const { events } = await readIncident(home, id);
        if (events.some((event) => event.type === 'resolved')) return undefined;
        return { id, declaredBy: events.find((event) => event.type === 'declared')?.actor ?? '' };
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((entry) => entry !== undefined);
}

/** Reads an incident's events, ordered by time, with warnings for skipped lines. */
export async function readIncident(home: string, id: string): Promise<ReadIncidentResult> {
  const known = await listIncidentIds(home);
  if (!known.includes(id)) throw new IncidentNotFoundError(id, known);
  const file = eventsFile(home, id);
  const { events, issues } = await readLog(file);
  const warnings = issues.map((issue) => `${id}/events.jsonl line ${issue.line}: ${issue.message}`);
  return { events: sortEvents(events), warnings, issues };
}

/**
 * Orders events by their time; events with the same time keep their order in the file (the order
 * they were recorded), which ids from different processes cannot tell.
 */
export function sortEvents(events: readonly IncidentEvent[]): IncidentEvent[] {
  return [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
