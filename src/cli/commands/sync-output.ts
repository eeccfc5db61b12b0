import type { SyncResult } from '../../incident/sync/run-sync.js';
import type { CommandEnv } from '../context.js';

/** One line of what a sync did (stdout), its warnings on stderr; `-o json` prints the result. */
export function printSyncResult(env: CommandEnv, result: SyncResult): void {
  for (const warning of result.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  if (env.globals.output === 'json') {
    env.output.out(JSON.stringify(result, null, 2));
    return;
  }
  const pulled = result.pulled.reduce((sum, entry) => sum + entry.added, 0);
  const parts = [
    `pulled ${plural(pulled, 'event')}${result.pulledFiles ? ` and ${plural(result.pulledFiles, 'file')}` : ''}`,
    `pushed ${plural(result.pushedEvents, 'event')}${result.pushedFiles ? ` and ${plural(result.pushedFiles, 'file')}` : ''}`,
  ];
  env.output.out(`Synced with ${result.remote}: ${parts.join(', ')}`);
  for (const id of result.newIncidents) {
    env.output.out(`  new from a teammate: ${env.theme.bold(id)}   ${env.theme.cmd(`inc use ${id}`)}`);
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
