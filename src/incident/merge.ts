import { UsageError } from '../errors.js';
import type { IncidentEvent } from './event.js';
import { sortEvents } from './incidents.js';
import type { IncidentLog } from './log.js';
import { redactValue } from './redact.js';
import { appendLine, assertWritable, type LogIssue, readLog } from './store.js';

export interface MergeResult {
  added: IncidentEvent[];
  alreadyPresent: number;
  /** Lines of the other copy that were skipped (torn, unknown type). */
  skipped: LogIssue[];
}

/**
 * Imports a teammate's copy of the incident log by union of event ids: only events this log does
 * not have are appended (in time order, unchanged but for redaction). Nothing is ever rewritten.
 */
export async function mergeIncidentLog(log: IncidentLog, otherFile: string): Promise<MergeResult> {
  assertWritable(log.file, { events: log.events, issues: log.issues, endsWithNewline: true });
  const other = await readOtherLog(otherFile);
  assertWritable(otherFile, other);
  assertSameIncident(log, other.events, otherFile);
  const known = new Set(log.events.map((e) => e.id));
  const added: IncidentEvent[] = [];
  let alreadyPresent = 0;
  for (const event of sortEvents(other.events)) {
    if (known.has(event.id)) {
      alreadyPresent += 1;
      continue;
    }
    known.add(event.id);
    const clean = { ...event, data: redactValue(event.data) } as IncidentEvent;
    await appendLine(log.file, JSON.stringify(clean));
    log.events.push(clean);
    added.push(clean);
  }
  return { added, alreadyPresent, skipped: other.issues };
}

async function readOtherLog(file: string) {
  try {
    return await readLog(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, {
      hint: 'give the path of a copy of events.jsonl',
    });
  }
}

function assertSameIncident(log: IncidentLog, otherEvents: readonly IncidentEvent[], otherFile: string): void {
  const ours = log.events.find((e) => e.type === 'declared');
  const theirs = otherEvents.find((e) => e.type === 'declared');
  if (ours && theirs && ours.id !== theirs.id) {
    const title = theirs.type === 'declared' ? theirs.data.title : '';
    throw new UsageError(`${otherFile} is the log of another incident ("${title}"); nothing was merged`, {
      hint: `merge it into that incident with --incident ID, or check the file`,
    });
  }
}
