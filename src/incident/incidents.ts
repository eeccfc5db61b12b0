import { randomUUID } from 'node:crypto';
import { chmod, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { IncidentNotFoundError } from './errors.js';
import type { IncidentEvent } from './event.js';
import { INCIDENT_ID_PATTERN } from './ids.js';
import { currentFile, eventsFile, incidentsDir } from './paths.js';
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
    throw error;
  }
}

/** The id named in `$INC_HOME/current`, if it still exists. */
export async function readCurrentId(home: string): Promise<string | undefined> {
  let id: string;
  try {
    id = (await readFile(currentFile(home), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!id) return undefined;
  const known = await listIncidentIds(home);
  return known.includes(id) ? id : undefined;
}

/** Makes an incident current: written beside and renamed, so readers never see half a file. */
export async function writeCurrentId(home: string, id: string): Promise<void> {
  await ensurePrivateDir(home);
  const target = currentFile(home);
  const partial = `${target}.${randomUUID()}.tmp`;
  await writeFile(partial, `${id}\n`, { mode: FILE_MODE });
  await chmod(partial, FILE_MODE);
  await rename(partial, target);
  await syncDir(home);
}

/**
 * The incident a command works on: `--incident ID` if given (it must exist), else the current one,
 * else undefined.
 */
export async function resolveIncidentId(home: string, explicit?: string): Promise<string | undefined> {
  if (explicit) {
    const known = await listIncidentIds(home);
    const match = known.includes(explicit) ? explicit : uniquePrefixMatch(known, explicit);
    if (!match) throw new IncidentNotFoundError(explicit, known);
    return match;
  }
  return readCurrentId(home);
}

/** Lets people type a unique prefix ("INC-20261123-1402") or the slug's start, as git does with hashes. */
function uniquePrefixMatch(known: readonly string[], text: string): string | undefined {
  const matches = known.filter((id) => id.startsWith(text) || id.slice(18).startsWith(text));
  return matches.length === 1 ? matches[0] : undefined;
}

export interface ReadIncidentResult {
  events: IncidentEvent[];
  /** Human lines about skipped lines ("events.jsonl line 7: …"), for stderr. */
  warnings: string[];
  issues: LogIssue[];
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
