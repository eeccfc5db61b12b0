import { open, readFile, rm, stat } from 'node:fs/promises';
import { type Clock, sleepUnlessAborted } from '../../clock.js';
import { ensurePrivateDir, FILE_MODE } from '../store.js';
import { syncFolder, syncLockFile, syncRequestFile } from './sync-paths.js';

/** A lock older than this was left by a process that died mid-sync. */
const STALE_MS = 5 * 60_000;

export interface SyncLock {
  release(): Promise<void>;
}

/**
 * Takes the home's sync lock (one sync at a time per INC_HOME, so two never reset one working copy
 * under each other); undefined when another live process holds it.
 */
export async function tryLock(home: string, pid: number, clock: Clock): Promise<SyncLock | undefined> {
  await ensurePrivateDir(syncFolder(home));
  const file = syncLockFile(home);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', FILE_MODE);
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await isStale(file, clock))) return undefined;
      await rm(file, { force: true });
    }
  }
  return undefined;
}

/** Waits for the lock (a background push may hold it for a moment), up to `timeoutMs`. */
export async function waitForLock(
  home: string,
  pid: number,
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SyncLock | undefined> {
  const until = clock.now().getTime() + timeoutMs;
  for (;;) {
    const lock = await tryLock(home, pid, clock);
    if (lock || clock.now().getTime() >= until) return lock;
    if (!(await sleepUnlessAborted(clock, 100, signal))) return undefined;
  }
}

/** Asks the process holding the lock to push once more before it stops. */
export async function requestAnotherRound(home: string): Promise<void> {
  await ensurePrivateDir(syncFolder(home));
  const handle = await open(syncRequestFile(home), 'w', FILE_MODE);
  await handle.close();
}

/** Takes a pending request; true when there was one. */
export async function takeRequest(home: string): Promise<boolean> {
  try {
    await rm(syncRequestFile(home));
    return true;
  } catch {
    return false;
  }
}

async function isStale(file: string, clock: Clock): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const holder = Number.parseInt(text, 10);
  if (Number.isInteger(holder) && holder > 0) return !isAlive(holder);
  // Only a lock whose holder died before writing its pid gets here.
  const modified = await stat(file).then(
    (stats) => stats.mtimeMs,
    () => 0,
  );
  return clock.now().getTime() - modified > STALE_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
