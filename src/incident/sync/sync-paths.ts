import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** Where inc keeps what sync needs: `$INC_HOME/sync/`. */
export function syncFolder(home: string): string {
  return join(home, 'sync');
}

/** The working copy of the shared repository: disposable, always reset to what the remote holds. */
export function sharedRepoFolder(home: string): string {
  return join(syncFolder(home), 'repo');
}

export function syncStateFile(home: string): string {
  return join(syncFolder(home), 'state.json');
}

export function syncLockFile(home: string): string {
  return join(syncFolder(home), 'lock');
}

/** Left by a background push that found another one running: "push again when done". */
export function syncRequestFile(home: string): string {
  return join(syncFolder(home), 'again');
}

/** This INC_HOME's writer id, made once: its events go to `incidents/ID/events/WRITER.jsonl`. */
export function writerIdFile(home: string): string {
  return join(home, 'writer-id');
}

/** The layout of the shared repository, relative to its root. */
export const REPO_INCIDENTS = 'incidents';

export function repoIncidentFolder(repo: string, id: string): string {
  return join(repo, REPO_INCIDENTS, id);
}

export function repoEventsFolder(repo: string, id: string): string {
  return join(repoIncidentFolder(repo, id), 'events');
}

export function repoWriterFile(repo: string, id: string, writer: string): string {
  return join(repoEventsFolder(repo, id), `${writer}.jsonl`);
}

/** Writer ids and evidence names that may come from the shared repository: no path, no dot file. */
export const WRITER_FILE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}\.jsonl$/;
export const SHARED_FILE_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/** True when the path exists (whatever it is). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
