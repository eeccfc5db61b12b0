import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { CLOCK_SKEW_MS } from './clock-skew.js';
import type { IncidentEvent } from './event.js';
import { describeInvalidEvent } from './event-schema.js';
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
  assertMergeable(otherFile, other);
  assertValidEvents(other.events, otherFile);
  assertSameIncident(log, other.events, otherFile);
  const { added, alreadyPresent } = await appendMissingEvents(log, other.events);
  return { added, alreadyPresent, skipped: other.issues };
}

/**
 * Appends the events the log lacks (by id), in time order, redacted, one write and fsync each
 * through the log's own append; the file is never rewritten. Keeps `log.events` current.
 */
export async function appendMissingEvents(
  log: Pick<IncidentLog, 'file' | 'events'>,
  events: readonly IncidentEvent[],
): Promise<{ added: IncidentEvent[]; alreadyPresent: number }> {
  const known = new Set(log.events.map((e) => e.id));
  const added: IncidentEvent[] = [];
  let alreadyPresent = 0;
  for (const event of sortEvents(events)) {
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
  return { added, alreadyPresent };
}

async function readOtherLog(file: string) {
  try {
    // A missing copy is an error here, not an empty log: merging nothing would look like success.
    await access(file, constants.R_OK);
    return await readLog(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(
      `cannot read ${file}: ${missing ? 'no such file' : (error as Error).message}; nothing was merged`,
      {
        hint: 'give the path of a copy of events.jsonl',
      },
    );
  }
}

/**
 * Refuses a copy with a damaged line, or that is no incident log at all (a wrong file picked): the
 * words are about the copy, since this incident's own log is not touched.
 */
function assertMergeable(otherFile: string, other: Awaited<ReturnType<typeof readLog>>): void {
  const corrupt = other.issues.find((issue) => issue.kind === 'corrupt');
  if (!corrupt) return;
  if (other.events.length === 0)
    throw new UsageError(
      `${otherFile} is not an incident log (line ${corrupt.line}: ${corrupt.message}); nothing was merged`,
      { hint: "give the path of a copy of a teammate's events.jsonl (incidents/ID/events.jsonl in their INC_HOME)" },
    );
  throw new UsageError(
    `${otherFile}:${corrupt.line}: a damaged line in the copy (${corrupt.message}); nothing was merged`,
    { hint: 'ask for a fresh copy, or delete that line from the copy and merge again; this log was not touched' },
  );
}

/** Refuses the whole copy when any event in it does not match the event schema: nothing is merged. */
function assertValidEvents(events: readonly IncidentEvent[], otherFile: string): void {
  for (const event of events) {
    const problem = describeInvalidEvent(event);
    if (problem) {
      throw new UsageError(
        `${otherFile}: event ${event.id} (${event.type}) is not a valid event: ${problem}; nothing was merged`,
        {
          code: 'INVALID_EVENT',
          hint: 'merge only copies of events.jsonl written by inc',
        },
      );
    }
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
  // Without its declaration (a teammate's writer file, `inc log --json --since`), a copy can still
  // tell: no event of this incident was recorded before it was declared, clocks a few minutes apart aside.
  if (ours && !theirs) {
    const early = otherEvents.find((e) => Date.parse(e.at) < Date.parse(ours.at) - CLOCK_SKEW_MS);
    if (early) {
      throw new UsageError(
        `${otherFile} holds events recorded before ${log.id} was declared (${early.at}, ${early.type}): the log of another incident; nothing was merged`,
        { hint: 'merge it into that incident with --incident ID, or check the file' },
      );
    }
  }
}
