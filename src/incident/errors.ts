import { IncError, UsageError } from '../errors.js';

/** `--incident ID` or `inc use ID` named an incident that is not on this machine. */
export class IncidentNotFoundError extends UsageError {
  constructor(id: string, known: readonly string[]) {
    const list = known.length === 0 ? 'there are no incidents on this machine' : `known incidents: ${known.join(', ')}`;
    super(`no incident "${id}" (${list})`, {
      code: 'INCIDENT_NOT_FOUND',
      hint: known.length === 0 ? 'declare one with: inc start "TITLE"' : 'run "inc list" to see them',
    });
  }
}

/** A prefix given for an incident id matches several incidents. */
export class AmbiguousIncidentError extends UsageError {
  constructor(prefix: string, candidates: readonly string[]) {
    super(`"${prefix}" is ambiguous: it matches ${candidates.length} incidents: ${candidates.join(', ')}`, {
      code: 'INCIDENT_AMBIGUOUS',
      hint: 'give more of the id (inc list shows them)',
    });
  }
}

/** A command that must record has no incident to record in. */
export class NoIncidentError extends UsageError {
  /**
   * `lastResolved`: the incident that stopped being current when it was resolved. `unresolved`: the
   * incidents still open on this machine though none is current (a teammate's, pulled by a sync).
   */
  constructor(
    what = 'this command',
    reading = false,
    lastResolved?: string,
    unresolved: readonly { id: string; declaredBy: string }[] = [],
  ) {
    const why = lastResolved
      ? `no incident is current (${lastResolved} is resolved)`
      : unresolved.length
        ? 'no incident is current'
        : 'no incident is open';
    super(reading ? `${why} for ${what} to show` : `${why}, so ${what} has nowhere to be recorded`, {
      code: 'NO_INCIDENT',
      hint: unresolved.length
        ? `${unresolvedLine(unresolved)}; to work on it: inc use ${unresolved[0]?.id} (or declare a new one with: inc start "TITLE" --severity SEV2)`
        : lastResolved
          ? `declare a new one with: inc start "TITLE" --severity SEV2; to add to ${lastResolved}, pass --incident ${lastResolved} (or inc use ${lastResolved})`
          : 'declare one with: inc start "TITLE" --severity SEV2 (or pick one with: inc use ID)',
    });
  }
}

/** `open here: INC-… (declared by alice), INC-…`, three at most. */
function unresolvedLine(unresolved: readonly { id: string; declaredBy: string }[]): string {
  const named = unresolved
    .slice(0, 3)
    .map((entry) => (entry.declaredBy ? `${entry.id} (declared by ${entry.declaredBy})` : entry.id));
  const more = unresolved.length > 3 ? `, and ${unresolved.length - 3} more (inc list)` : '';
  return `open here: ${named.join(', ')}${more}`;
}

/** A line in the middle of events.jsonl is not an event; inc refuses to write to it. */
export class CorruptLogError extends UsageError {
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: corrupted incident log (${detail}); nothing was written`, {
      code: 'CORRUPT_LOG',
      hint: 'inc never rewrites a log: inspect that line by hand (or record elsewhere with --incident ID)',
    });
  }
}

/** The incident's folder holds another incident now: a sync renamed this one (a teammate's took its id). */
export class IncidentMovedError extends IncError {
  constructor(file: string) {
    super(`${file} holds another incident now (a sync renamed this one); nothing was written`, {
      code: 'INCIDENT_MOVED',
      hint: 'inc list shows the incidents here; inc use ID picks one, then run the command again',
    });
  }
}

/** The log cannot be read at all (permissions, a directory in its place). */
export class UnreadableLogError extends IncError {
  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot read incident log ${file}: ${reason}`, {
      code: 'UNREADABLE_LOG',
      exitCode: 2,
      hint: 'check the file permissions (inc keeps its files 0600, folders 0700)',
      cause,
    });
  }
}

/** A file or folder of inc's own is a symbolic link: inc never writes or reads through one. */
export class SymlinkRefusedError extends UsageError {
  constructor(path: string) {
    super(`${path} is a symbolic link; inc does not follow links for its own files, so nothing was done`, {
      code: 'SYMLINK_REFUSED',
      hint: 'replace the link by the real file or folder, or write somewhere else',
    });
  }
}

/** Event times out of order, such as resolved before declared. */
export class TimeOrderError extends UsageError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'TIME_ORDER', hint: hint ?? 'pass the real time with --at (e.g. --at 14:02)' });
  }
}

/** What commands print on stderr when there is no incident and they recorded nothing. */
export const NOTHING_RECORDED_NOTICE = 'no incident is open; nothing was recorded (inc start TITLE to declare one)';
