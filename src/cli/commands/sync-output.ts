import type { Clock } from '../../clock.js';
import type { RenamedIncident } from '../../incident/sync/id-clash.js';
import type { SyncResult } from '../../incident/sync/run-sync.js';
import type { Output } from '../../ui/output.js';
import type { Theme } from '../../ui/theme.js';
import type { CommandEnv } from '../context.js';

/** One line of what a sync did (stdout), its warnings on stderr; `-o json` prints the result. */
export function printSyncResult(env: CommandEnv, result: SyncResult, renamed = result.renamed): void {
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
  for (const entry of renamed) env.output.out(`  ${renameLine(env.theme, entry)}`);
  // A renamed incident's line already names the teammate's incident that kept the id.
  for (const id of result.newIncidents.filter((id) => !renamed.some((entry) => entry.from === id))) {
    env.output.out(`  new from a teammate: ${env.theme.bold(id)}   ${env.theme.cmd(`inc use ${id}`)}`);
  }
}

/** Says which id an incident has now, whose incident kept the old one, and how to open it. */
export function renameLine(theme: Theme, entry: RenamedIncident): string {
  const title = entry.title ? ` ("${entry.title}")` : '';
  return `${entry.from} is now ${theme.bold(entry.to)} here and on the remote: ${entry.by} declared another incident as ${entry.from} first${title}; theirs: ${theme.cmd(`inc use ${entry.from}`)}`;
}

/** Says on stderr, once, each rename a sync made that no command has told of yet (`sync: X is now Y …`). */
export async function tellUntoldRenames(output: Output, theme: Theme, home: string, clock: Clock): Promise<void> {
  const { takeUntoldRenames } = await import('../../incident/sync/sync-session.js');
  for (const entry of await takeUntoldRenames(home, process.pid, clock))
    output.err(`sync: ${renameLine(theme, entry)}`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
