import type { IncidentEvent } from '../event.js';
import { declaredIdIn } from '../incidents.js';
import { appendMissingEvents } from '../merge.js';
import { eventsFile, incidentDir } from '../paths.js';
import { ensurePrivateDir, readLog } from '../store.js';
import { readRepoIncidentEvents } from './repo-contents.js';
import { exists } from './sync-paths.js';

export interface PulledIncident {
  id: string;
  added: number;
  /** Declared by a teammate: it was not on this machine before. */
  isNew: boolean;
}

/**
 * Appends the shared repository's events this machine lacks to the incident's own events.jsonl,
 * through the log's append (union by event id, one write and fsync each; nothing rewritten).
 */
export async function pullIncident(
  home: string,
  repo: string,
  id: string,
  warnings: string[],
): Promise<PulledIncident> {
  const shared = await readRepoIncidentEvents(repo, id);
  warnings.push(...shared.warnings);
  const file = eventsFile(home, id);
  const isNew = !(await exists(incidentDir(home, id)));
  const local = await readLog(file);
  if (local.issues.some((issue) => issue.kind === 'corrupt')) {
    warnings.push(`${id}/events.jsonl has a damaged line: nothing was pulled into it (inc log shows where)`);
    return { id, added: 0, isNew: false };
  }
  const wanted = eventsOfThisIncident(id, local.events, shared.writers, warnings);
  if (isNew && declaredIdIn(wanted) === undefined) return { id, added: 0, isNew: false };
  const known = new Set(local.events.map((event) => event.id));
  const missing = wanted.filter((event) => !known.has(event.id));
  if (missing.length === 0) return { id, added: 0, isNew: false };
  await ensurePrivateDir(incidentDir(home, id));
  const { added } = await appendMissingEvents({ file, events: local.events }, missing);
  return { id, added: added.length, isNew };
}

/**
 * Two machines may declare different incidents under one id (same minute, same title): a writer
 * whose `declared` event is not ours belongs to the other incident and is left out, with a warning.
 */
function eventsOfThisIncident(
  id: string,
  local: readonly IncidentEvent[],
  writers: readonly { writer: string; events: IncidentEvent[] }[],
  warnings: string[],
): IncidentEvent[] {
  let declared = declaredIdIn(local);
  const wanted: IncidentEvent[] = [];
  for (const { writer, events } of writers) {
    const theirs = declaredIdIn(events);
    declared ??= theirs;
    if (theirs && declared && theirs !== declared) {
      warnings.push(`shared ${id}/events/${writer}.jsonl is another incident with the same id: not pulled`);
      continue;
    }
    wanted.push(...events);
  }
  return wanted;
}
