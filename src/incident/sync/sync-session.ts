import type { Clock } from '../../clock.js';
import type { RenamedIncident } from './id-clash.js';
import { runSync, type SyncOptions, type SyncResult } from './run-sync.js';
import { NoSyncRemoteError, SyncBusyError } from './sync-errors.js';
import { requestAnotherRound, takeRequest, tryLock, waitForLock } from './sync-lock.js';
import { readSyncState, writeSyncState } from './sync-state.js';

export interface SessionOptions extends Omit<SyncOptions, 'remote'> {
  remote: string | undefined;
  /** This process's id, written in the lock. */
  pid: number;
}

/** A sync in the foreground (`inc sync`, `inc log --follow --sync`): waits a moment for a background push to finish. */
export async function syncNow(options: SessionOptions, waitMs = 30_000): Promise<SyncResult> {
  const remote = options.remote;
  if (!remote) throw new NoSyncRemoteError();
  const lock = await waitForLock(options.home, options.pid, options.clock, waitMs, options.signal);
  if (!lock) throw new SyncBusyError();
  try {
    return await runSync({ ...options, remote });
  } finally {
    await lock.release();
  }
}

/**
 * The background push after a command recorded events. Only one runs per INC_HOME: a second one
 * leaves a request and exits, and the running one does another round for it before it stops, so an
 * event is never left behind. A failure ends it quietly: the sync state keeps the reason, and the
 * next command starts another.
 */
export async function syncInBackground(options: SessionOptions): Promise<void> {
  const remote = options.remote;
  if (!remote) return;
  await requestAnotherRound(options.home);
  let lock = await tryLock(options.home, options.pid, options.clock);
  while (lock) {
    try {
      await takeRequest(options.home);
      await runSync({ ...options, remote });
    } catch {
      await lock.release();
      return;
    }
    await lock.release();
    lock = (await takeRequest(options.home)) ? await tryLock(options.home, options.pid, options.clock) : undefined;
  }
}

/**
 * The renames syncs made that no command has told of yet, cleared as they are taken. Taken under
 * the sync lock, so a sync running now never loses them; when one holds it, the next command tells.
 */
export async function takeUntoldRenames(home: string, pid: number, clock: Clock): Promise<RenamedIncident[]> {
  const lock = await tryLock(home, pid, clock);
  if (!lock) return [];
  try {
    const state = await readSyncState(home);
    const untold = state.untoldRenames ?? [];
    if (untold.length > 0) await writeSyncState(home, { ...state, untoldRenames: undefined });
    return untold;
  } finally {
    await lock.release();
  }
}
