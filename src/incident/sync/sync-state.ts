import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { replaceFileAtomically } from '../atomic-file.js';
import { ensurePrivateDir, FILE_MODE } from '../store.js';
import { syncFolder, syncStateFile } from './sync-paths.js';

const stateSchema = z.object({
  remote: z.string().optional(),
  /** The last sync that reached the remote (ISO). */
  lastSyncedAt: z.string().optional(),
  /** Why the last attempt failed; cleared by a sync that reaches the remote. */
  lastError: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  /** Set once the pending sync was told about, so it is said once, not by every command. */
  toldPending: z.boolean().optional(),
  /** Bytes of each incident's events.jsonl the last sync covered. */
  covered: z.record(z.string(), z.number()).default({}),
  /** Hash of each incident's postmortem both sides held at the last sync. */
  postmortems: z.record(z.string(), z.string()).default({}),
  /** Incidents a sync renamed (a teammate's took their id) that no command has told of yet. */
  untoldRenames: z.array(z.object({ from: z.string(), to: z.string(), by: z.string(), title: z.string() })).optional(),
});

export type SyncState = z.infer<typeof stateSchema>;

/** What the last syncs left behind; an unreadable or missing file is a fresh start (all pending). */
export async function readSyncState(home: string): Promise<SyncState> {
  try {
    return stateSchema.parse(JSON.parse(await readFile(syncStateFile(home), 'utf8')));
  } catch {
    return { covered: {}, postmortems: {} };
  }
}

export async function writeSyncState(home: string, state: SyncState): Promise<void> {
  await ensurePrivateDir(syncFolder(home));
  await replaceFileAtomically(syncStateFile(home), `${JSON.stringify(state, null, 2)}\n`, FILE_MODE);
}
