import type { SyncConfig } from '../../config.js';
import type { IncidentLog } from '../../incident/log.js';
import type { SyncStatus } from '../../incident/sync/sync-status.js';
import type { CommandEnv } from '../context.js';

/** The "sync:" line of `inc status` (and its JSON), when a sync remote is configured. */
export async function readSyncLine(
  env: CommandEnv,
  log: Pick<IncidentLog, 'home' | 'id'>,
  sync: SyncConfig,
): Promise<{ status: SyncStatus; line: string } | undefined> {
  if (!sync.remote) return undefined;
  const { readSyncStatus } = await import('../../incident/sync/sync-status.js');
  const { formatLocalTime } = await import('../../incident/describe.js');
  const { formatDuration } = await import('../../duration.js');
  const status = await readSyncStatus(log.home, log.id, { remote: sync.remote, auto: sync.auto });
  const last = status.lastSyncedAt
    ? `last synced ${formatLocalTime(status.lastSyncedAt)} (${formatDuration(env.clock.now().getTime() - Date.parse(status.lastSyncedAt))} ago)`
    : 'never synced';
  const failed = status.lastError ? `; last attempt failed: ${status.lastError}` : '';
  const head =
    status.unpushed > 0
      ? env.theme.warn(`sync: ${status.unpushed} event${status.unpushed === 1 ? '' : 's'} not yet pushed`)
      : 'sync: every event pushed';
  return { status, line: `${head}, ${last}${failed}` };
}
