import { stat } from 'node:fs/promises';
import { listIncidentIds } from '../incidents.js';
import { eventsFile } from '../paths.js';
import { countUnpushed } from './push.js';
import { sharedRepoFolder } from './sync-paths.js';
import { readSyncState, type SyncState } from './sync-state.js';

export interface SyncStatus {
  remote: string;
  auto: boolean;
  /** Events of the incident not in the shared repository as of the last sync. */
  unpushed: number;
  lastSyncedAt?: string;
  lastError?: string;
}

/** How the incident stands with the shared repository, for `inc status`. */
export async function readSyncStatus(
  home: string,
  id: string,
  sync: { remote: string; auto: boolean },
): Promise<SyncStatus> {
  const state = await readSyncState(home);
  const sameRemote = state.remote === sync.remote;
  const unpushed = await countUnpushed(home, sameRemote ? sharedRepoFolder(home) : undefined, id);
  return {
    remote: sync.remote,
    auto: sync.auto,
    unpushed,
    lastSyncedAt: sameRemote ? state.lastSyncedAt : undefined,
    // Before a first sync, the failure is this remote's (no other one ever worked here).
    lastError: sameRemote || state.remote === undefined ? state.lastError : undefined,
  };
}

/**
 * True when some incident's log grew (or appeared) since the last sync covered it: cheap enough
 * (a stat per incident) to ask after every command.
 */
export async function hasUnsyncedEvents(home: string, remote: string, state: SyncState): Promise<boolean> {
  if (state.remote !== remote) return true;
  for (const id of await listIncidentIds(home)) {
    const size = await stat(eventsFile(home, id)).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size !== (state.covered[id] ?? 0)) return true;
  }
  return false;
}
