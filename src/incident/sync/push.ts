import { appendFile, stat } from 'node:fs/promises';
import { declaredIdIn, sortEvents } from '../incidents.js';
import { eventsFile } from '../paths.js';
import { ensurePrivateDir, readLog } from '../store.js';
import { readRepoIncidentEvents } from './repo-contents.js';
import { repoEventsFolder, repoWriterFile } from './sync-paths.js';

export interface StagedIncident {
  id: string;
  /** Events of this machine the shared repository lacked, now in this writer's file. */
  staged: number;
  /** Bytes of events.jsonl covered (its size before it was read): more later means more to push. */
  coveredBytes: number;
}

/**
 * Appends this machine's events that the shared repository lacks (by id; those written here and
 * those merged by hand alike) to this writer's own file of the incident, in time order. No other
 * writer's file is ever touched, so no two machines ever change the same file.
 */
export async function stageIncident(
  home: string,
  repo: string,
  id: string,
  writer: string,
  warnings: string[],
): Promise<StagedIncident> {
  const file = eventsFile(home, id);
  const coveredBytes = await stat(file).then(
    (stats) => stats.size,
    () => 0,
  );
  const local = await readLog(file);
  const shared = await readRepoIncidentEvents(repo, id);
  const ours = declaredIdIn(local.events);
  const clash = shared.writers.find((w) => {
    const theirs = declaredIdIn(w.events);
    return theirs !== undefined && ours !== undefined && theirs !== ours;
  });
  if (clash) {
    warnings.push(`${id}: the shared repository holds another incident with this id; it stays on this machine`);
    return { id, staged: 0, coveredBytes };
  }
  const missing = sortEvents(local.events.filter((event) => !shared.ids.has(event.id)));
  if (missing.length > 0) {
    await ensurePrivateDir(repoEventsFolder(repo, id));
    await appendFile(repoWriterFile(repo, id, writer), missing.map((event) => `${JSON.stringify(event)}\n`).join(''));
  }
  return { id, staged: missing.length, coveredBytes };
}

/**
 * Events of this machine's log the shared repository does not hold yet (as of the last sync);
 * without a working copy of the remote (never synced), all of them.
 */
export async function countUnpushed(home: string, repo: string | undefined, id: string): Promise<number> {
  const local = await readLog(eventsFile(home, id));
  const shared = repo ? await readRepoIncidentEvents(repo, id) : { ids: new Set<string>() };
  return local.events.filter((event) => !shared.ids.has(event.id)).length;
}
