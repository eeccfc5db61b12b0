import { declaredIdIn, listIncidentIds, renameIncident } from '../incidents.js';
import { eventsFile } from '../paths.js';
import { readLog } from '../store.js';
import { listRepoIncidentIds, readRepoIncidentEvents } from './repo-contents.js';
import type { SyncState } from './sync-state.js';

/** A local incident that got a new id because a teammate's incident had taken its id first. */
export interface RenamedIncident {
  from: string;
  to: string;
  /** Who declared the incident that keeps the id, and its title. */
  by: string;
  title: string;
}

/**
 * Ids are made from the minute and the title, so two responders paged by the same alert can
 * declare two incidents under one id. The one the shared repository holds first keeps it; ours is
 * renamed to the next free `ID-N` (free here and in the repository), so both are shared and
 * neither hides the other. The sync state follows the rename.
 */
export async function moveClashingIncidents(home: string, repo: string, state: SyncState): Promise<RenamedIncident[]> {
  const shared = new Set(await listRepoIncidentIds(repo));
  const renamed: RenamedIncident[] = [];
  for (const id of await listIncidentIds(home)) {
    if (!shared.has(id)) continue;
    const theirs = await teammateHolding(home, repo, id);
    if (!theirs) continue;
    const to = await freeId(home, shared, renamedFrom(id, shared));
    await renameIncident(home, id, to);
    for (const record of [state.covered, state.postmortems]) delete record[id];
    renamed.push({ from: id, to, ...theirs });
  }
  return renamed;
}

/** The teammate whose other incident the repository holds under our id; undefined when it is ours. */
async function teammateHolding(
  home: string,
  repo: string,
  id: string,
): Promise<{ by: string; title: string } | undefined> {
  const ours = declaredIdIn((await readLog(eventsFile(home, id))).events);
  if (ours === undefined) return undefined;
  const declarations = (await readRepoIncidentEvents(repo, id)).writers.flatMap((writer) =>
    writer.events.filter((event) => event.type === 'declared'),
  );
  const first = declarations[0];
  if (!first || declarations.some((event) => event.id === ours)) return undefined;
  const title = (first.data as { title?: unknown }).title;
  return { by: first.actor, title: typeof title === 'string' ? title : '' };
}

/**
 * The id a clash-renamed `ID-N` was made from, when the repository holds that `ID`: a second clash
 * numbers on from it (`ID-3`), never `ID-2-2`. Any other id is its own base.
 */
function renamedFrom(id: string, shared: ReadonlySet<string>): string {
  const base = /^(.+)-\d+$/.exec(id)?.[1];
  return base !== undefined && shared.has(base) ? base : id;
}

async function freeId(home: string, shared: ReadonlySet<string>, id: string): Promise<string> {
  const local = new Set(await listIncidentIds(home));
  for (let n = 2; ; n += 1) {
    const candidate = `${id}-${n}`;
    if (!local.has(candidate) && !shared.has(candidate)) return candidate;
  }
}
