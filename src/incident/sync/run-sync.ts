import { rm } from 'node:fs/promises';
import { type Clock, sleepUnlessAborted } from '../../clock.js';
import { InterruptedError } from '../../errors.js';
import { listIncidentIds } from '../incidents.js';
import type { Env } from '../paths.js';
import { moveClashingIncidents, type RenamedIncident } from './id-clash.js';
import { pullIncident } from './pull.js';
import { stageIncident } from './push.js';
import { listRepoIncidentIds } from './repo-contents.js';
import { syncSharedFiles } from './shared-files.js';
import { SharedRepo } from './shared-repo.js';
import { SyncUnreachableError } from './sync-errors.js';
import { sharedRepoFolder } from './sync-paths.js';
import { readSyncState, type SyncState, writeSyncState } from './sync-state.js';
import { readOrCreateWriterId } from './writer-id.js';

export interface SyncOptions {
  home: string;
  remote: string;
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  actor: string;
  /** Per git run: short for a background push. */
  timeoutMs: number;
  maxFileBytes: number;
}

export interface SyncResult {
  remote: string;
  writer: string;
  /** Events appended to this machine's logs, per incident. */
  pulled: { id: string; added: number }[];
  /** Incidents declared by teammates, new on this machine. */
  newIncidents: string[];
  /** This machine's incidents renamed because a teammate's had their id first. */
  renamed: RenamedIncident[];
  pushedEvents: number;
  pushedFiles: number;
  pulledFiles: number;
  warnings: string[];
}

/** Another writer pushed between our fetch and our push: fetch and build the commit again. */
const MAX_ROUNDS = 8;

/**
 * One sync with the shared repository: fetch, reset the working copy to the remote, append what
 * teammates recorded to the local logs, add what this machine recorded to its own writer files,
 * commit and push. A push that loses a race is redone from a fresh fetch; since every writer only
 * ever adds to its own files, a round always succeeds once it is alone. The outcome (or the reason
 * it failed) is kept in the sync state for `inc status`.
 */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const state = await readSyncState(options.home);
  const attemptAt = options.clock.now().toISOString();
  try {
    const result = await syncRounds(options, state);
    await writeSyncState(options.home, {
      ...state,
      remote: options.remote,
      lastSyncedAt: attemptAt,
      lastAttemptAt: attemptAt,
      lastError: undefined,
      toldPending: undefined,
    });
    return result;
  } catch (error) {
    // Stopped by the responder: not a failure of the remote for inc status to report.
    if (error instanceof InterruptedError) throw error;
    await writeSyncState(options.home, {
      ...(await readSyncState(options.home)),
      lastAttemptAt: attemptAt,
      lastError: (error as Error).message,
    }).catch(() => undefined);
    throw error;
  }
}

async function syncRounds(options: SyncOptions, state: SyncState): Promise<SyncResult> {
  const writer = await readOrCreateWriterId(options.home);
  const folder = sharedRepoFolder(options.home);
  if (state.remote !== undefined && state.remote !== options.remote) {
    // Another remote: what the old one held says nothing about the new one.
    await rm(folder, { recursive: true, force: true });
    state.covered = {};
    state.postmortems = {};
  }
  const repo = await SharedRepo.open({ folder, ...options });
  const totals = { pulled: new Map<string, number>(), newIncidents: new Set<string>(), pulledFiles: 0 };
  const renamed: RenamedIncident[] = [];
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    await repo.fetch();
    await repo.resetToRemote();
    const warnings: string[] = [];
    const moved = await moveClashingIncidents(options.home, folder, state);
    if (moved.length > 0) {
      renamed.push(...moved);
      // Kept at once: the folders are renamed whether or not this sync gets to push.
      state.untoldRenames = [...(state.untoldRenames ?? []), ...moved];
      await writeSyncState(options.home, state);
    }
    await pullAll(options, folder, warnings, totals);
    const staged = await stageAll(options, folder, writer, warnings, state);
    totals.pulledFiles += staged.pulledFiles;
    const committed = await repo.commitAll(commitMessage(writer, options.actor, staged), options.actor);
    const outcome = committed ? await repo.push() : { kind: 'pushed' as const };
    if (outcome.kind === 'pushed') {
      return {
        remote: options.remote,
        writer,
        pulled: [...totals.pulled].map(([id, added]) => ({ id, added })),
        newIncidents: [...totals.newIncidents],
        renamed,
        pushedEvents: staged.events,
        pushedFiles: staged.files,
        pulledFiles: totals.pulledFiles,
        warnings,
      };
    }
    // A short random pause, so two writers racing for the remote do not collide again in step.
    await sleepUnlessAborted(options.clock, 50 + Math.floor(Math.random() * 200 * round), options.signal);
  }
  await repo.resetToRemote().catch(() => undefined);
  throw new SyncUnreachableError(options.remote, `the remote kept moving after ${MAX_ROUNDS} attempts`);
}

async function pullAll(
  options: SyncOptions,
  folder: string,
  warnings: string[],
  totals: { pulled: Map<string, number>; newIncidents: Set<string> },
): Promise<void> {
  for (const id of await listRepoIncidentIds(folder)) {
    const pulled = await pullIncident(options.home, folder, id, warnings);
    if (pulled.added > 0) totals.pulled.set(id, (totals.pulled.get(id) ?? 0) + pulled.added);
    if (pulled.isNew) totals.newIncidents.add(id);
  }
}

async function stageAll(
  options: SyncOptions,
  folder: string,
  writer: string,
  warnings: string[],
  state: SyncState,
): Promise<{ events: number; files: number; incidents: number; pulledFiles: number }> {
  const staged = { events: 0, files: 0, incidents: 0, pulledFiles: 0 };
  for (const id of await listIncidentIds(options.home)) {
    const incident = await stageIncident(options.home, folder, id, writer, warnings);
    const files = await syncSharedFiles({
      home: options.home,
      repo: folder,
      id,
      maxFileBytes: options.maxFileBytes,
      syncedPostmortem: state.postmortems[id],
      warnings,
    });
    state.covered[id] = incident.coveredBytes;
    if (files.postmortem) state.postmortems[id] = files.postmortem;
    staged.events += incident.staged;
    staged.files += files.staged;
    staged.pulledFiles += files.pulled;
    if (incident.staged + files.staged > 0) staged.incidents += 1;
  }
  return staged;
}

function commitMessage(writer: string, actor: string, staged: { events: number; files: number; incidents: number }) {
  return `${actor} (${writer}): ${staged.events} events, ${staged.files} files in ${staged.incidents} incidents`;
}
