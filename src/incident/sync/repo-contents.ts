import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncidentEvent } from '../event.js';
import { describeInvalidEvent } from '../event-schema.js';
import { INCIDENT_ID_PATTERN } from '../ids.js';
import { parseLog } from '../store.js';
import { REPO_INCIDENTS, repoEventsFolder, WRITER_FILE_PATTERN } from './sync-paths.js';

/** One writer's file of an incident in the shared repository. */
export interface WriterEvents {
  writer: string;
  events: IncidentEvent[];
}

export interface RepoIncidentEvents {
  writers: WriterEvents[];
  ids: Set<string>;
  /** Lines or files that were skipped, for stderr. */
  warnings: string[];
}

/** Incident ids in the shared repository's working copy. */
export async function listRepoIncidentIds(repo: string): Promise<string[]> {
  const entries = await readdir(join(repo, REPO_INCIDENTS), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && INCIDENT_ID_PATTERN.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads every writer's events of one incident. The repository is shared, so its content is
 * checked as input: only regular files with a writer's name, only events that match the schema.
 */
export async function readRepoIncidentEvents(repo: string, id: string): Promise<RepoIncidentEvents> {
  const folder = repoEventsFolder(repo, id);
  const names = await readdir(folder).catch(() => [] as string[]);
  const result: RepoIncidentEvents = { writers: [], ids: new Set(), warnings: [] };
  for (const name of names.sort()) {
    const path = join(folder, name);
    if (!WRITER_FILE_PATTERN.test(name) || !(await lstat(path)).isFile()) {
      result.warnings.push(`shared ${id}/events/${name}: not a writer's events file, skipped`);
      continue;
    }
    const { events, issues } = parseLog(await readFile(path, 'utf8'));
    for (const issue of issues)
      result.warnings.push(`shared ${id}/events/${name} line ${issue.line}: ${issue.message}`);
    const valid = events.filter((event) => {
      const problem = describeInvalidEvent(event);
      if (problem) result.warnings.push(`shared ${id}/events/${name}: event ${event.id} skipped: ${problem}`);
      return !problem;
    });
    for (const event of valid) result.ids.add(event.id);
    result.writers.push({ writer: name.replace(/\.jsonl$/, ''), events: valid });
  }
  return result;
}
