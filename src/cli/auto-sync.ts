import type { CliContext } from './context.js';

/** Commands after which nothing is pushed: sync itself, and those that never touch an incident. */
const SKIP = new Set(['sync', 'sim', 'completion', 'demo', 'playbooks']);

/**
 * With `sync.auto`, starts the background push when some incident's log grew since the last sync,
 * and says once (not after every command) when the last push could not reach the remote. It never
 * fails the command: the events are recorded locally whatever happens here.
 */
export async function pushInBackground(ctx: CliContext, command: string): Promise<void> {
  if (!ctx.startBackgroundSync || SKIP.has(command)) return;
  try {
    const { loadConfig } = await import('../config.js');
    const { remote, auto } = loadConfig(ctx.env).sync;
    if (!remote || !auto) return;
    const { incHome } = await import('../incident/paths.js');
    const { readSyncState, writeSyncState } = await import('../incident/sync/sync-state.js');
    const { hasUnsyncedEvents } = await import('../incident/sync/sync-status.js');
    const home = incHome(ctx.env);
    const state = await readSyncState(home);
    // A background push renamed an incident (a teammate's had its id first): said once, by the next command.
    if (state.untoldRenames?.length) {
      const { tellUntoldRenames } = await import('./commands/sync-output.js');
      const { createTheme } = await import('../ui/theme.js');
      await tellUntoldRenames(ctx.output, createTheme(false), home, ctx.clock);
    }
    if (!(await hasUnsyncedEvents(home, remote, state))) return;
    ctx.startBackgroundSync();
    if (state.lastError && !state.toldPending) {
      ctx.output.err(`sync pending: ${state.lastError}; pushed once the remote is back (inc status shows how many)`);
      await writeSyncState(home, { ...state, toldPending: true });
    }
  } catch {
    // A broken config or sync state is reported by the commands that use them, not here.
  }
}
