import { constants } from 'node:fs';
import { chmod, type FileHandle, mkdir, open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CorruptLogError, SymlinkRefusedError, UnreadableLogError } from './errors.js';
import { EVENT_VERSION, type IncidentEvent, isEventType } from './event.js';
import { onStorage, StorageError } from './storage-error.js';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** A line of events.jsonl that is not a usable event. */
export interface LogIssue {
  /** 1-based line number. */
  line: number;
  /**
   * `torn`: an event cut off mid-write (skipped, harmless): the last line, or a cut-off record that
   * a later append moved off the end; `corrupt`: anything else (writes are refused).
   */
  kind: 'torn' | 'corrupt' | 'unsupported';
  message: string;
}

export interface LogContents {
  events: IncidentEvent[];
  issues: LogIssue[];
  /** False when the last byte is not a newline (a torn or hand-edited tail). */
  endsWithNewline: boolean;
}

/** Creates a directory (and parents) with mode 0700 regardless of the umask. */
export async function ensurePrivateDir(path: string): Promise<void> {
  const firstCreated = await onStorage('create the folder', path, () => makeDirs(path));
  // Every folder made here is inc's own: make it 0700 whatever the umask. A folder that already
  // existed (an INC_HOME the user chose, say) keeps its mode.
  if (firstCreated === undefined) return;
  const chain = [path];
  for (let dir = path; dir !== firstCreated && dirname(dir) !== dir; ) {
    dir = dirname(dir);
    chain.push(dir);
  }
  for (const dir of chain) await onStorage('set the mode of', dir, () => chmod(dir, DIR_MODE));
}

/** `mkdir -p`; a recursive mkdir reports ENOENT on a read-only disk, so the real reason is asked for. */
async function makeDirs(path: string): Promise<string | undefined> {
  try {
    return await mkdir(path, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path, { mode: DIR_MODE });
    return path;
  }
}

/**
 * Appends one line to a JSONL file: one `write` on a descriptor opened with O_APPEND, then fsync.
 * If the file does not end with a newline (a torn tail), the line starts with one, so a new event
 * is never glued to a broken one; readers skip the blank line two racing writers may leave.
 */
export async function appendLine(file: string, line: string): Promise<void> {
  await onStorage('write to', file, () => appendLineTo(file, line));
}

/** Opens an inc file without following a symbolic link in its place. */
async function openOwnFile(file: string, flags: number) {
  try {
    return await open(file, flags | constants.O_NOFOLLOW, FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(file);
    throw error;
  }
}

async function appendLineTo(file: string, line: string): Promise<void> {
  const handle = await openOwnFile(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT);
  try {
    const { size } = await handle.stat();
    let torn = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      torn = last[0] !== 0x0a;
    }
    await writeLine(handle, file, line, { empty: size === 0, torn });
  } finally {
    await handle.close();
  }
}

/**
 * Appends, as one JSON line, the record `build` makes from the log as read through the descriptor
 * the line is then written to: what `build` checked is the file the record joins, even if its
 * folder was renamed in between (a sync moves an incident whole). `build` throws to write nothing.
 * Unless `create`, the file must exist; `build` sees a missing one as an empty log, to refuse first.
 */
export async function appendAfterReading<R extends object>(
  file: string,
  build: (contents: LogContents) => R,
  options: { create: boolean },
): Promise<R> {
  const flags = constants.O_RDWR | constants.O_APPEND | (options.create ? constants.O_CREAT : 0);
  const opened = await onStorage('write to', file, () =>
    openOwnFile(file, flags).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && !options.create) return error;
      throw error;
    }),
  );
  if (opened instanceof Error) {
    build(parseLog(''));
    throw new StorageError('write to', file, opened);
  }
  try {
    const text = await opened.readFile('utf8').catch((error: unknown) => {
      throw new UnreadableLogError(file, error);
    });
    const record = build(parseLog(text));
    const before = { empty: text === '', torn: text !== '' && !text.endsWith('\n') };
    await onStorage('write to', file, () => writeLine(opened, file, JSON.stringify(record), before));
    return record;
  } finally {
    await opened.close();
  }
}

/** One `write` of the line (after a newline if the tail is torn), then fsync; a new file's folder is synced too. */
async function writeLine(
  handle: FileHandle,
  file: string,
  line: string,
  before: { empty: boolean; torn: boolean },
): Promise<void> {
  await handle.chmod(FILE_MODE);
  const payload = Buffer.from(`${before.torn ? '\n' : ''}${line}\n`, 'utf8');
  const { bytesWritten } = await handle.write(payload, 0, payload.length);
  if (bytesWritten !== payload.length) {
    throw new Error(`short write to ${file}: ${bytesWritten} of ${payload.length} bytes`);
  }
  await handle.sync();
  // A new file is only durable once its directory entry is: sync the folder after the first write.
  if (before.empty) await syncDir(dirname(file));
}

/** fsyncs a directory so a file created or renamed in it survives a crash. */
export async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is already synced.
  } finally {
    await handle.close();
  }
}

/** Reads and parses a log; a missing file is an empty log. Never modifies it. */
export async function readLog(file: string): Promise<LogContents> {
  let text: string;
  try {
    const handle = await openOwnFile(file, constants.O_RDONLY);
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof SymlinkRefusedError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], issues: [], endsWithNewline: true };
    throw new UnreadableLogError(file, error);
  }
  return parseLog(text);
}

/** Parses JSONL text into events, reporting every line that is not one. */
export function parseLog(text: string): LogContents {
  const events: IncidentEvent[] = [];
  const issues: LogIssue[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text === '' || text.endsWith('\n');
  const lastLine = lines.findLastIndex((raw) => raw.trim() !== '');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const result = parseEventLine(line, index === lastLine && !endsWithNewline);
    if ('event' in result) events.push(result.event);
    else issues.push({ line: index + 1, kind: result.kind, message: result.message });
  });
  return { events, issues, endsWithNewline };
}

type LineResult = { event: IncidentEvent } | { kind: LogIssue['kind']; message: string };

function parseEventLine(text: string, unterminatedTail: boolean): LineResult {
  // A crash can leave the space of a write the disk never got as NUL bytes (the file grew, its data
  // did not land): that is a lost event, like a torn one, not damage to the events before it.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end -= 1;
  const line = text.slice(0, end);
  if (line === '') return { kind: 'torn', message: 'zero-filled event (a write lost in a crash), skipped' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    // Only the unterminated end of the log can be cut off mid-write. Elsewhere, a cut-off record is
    // one a later append moved off the end; any other damage is corruption, even after `{"v":`.
    const cutOff = line.length < text.length || unterminatedTail;
    const torn = cutOff ? isTornRecord(line) : line.startsWith(RECORD_START) && endsEarly(error as Error, line);
    if (torn) return { kind: 'torn', message: 'incomplete event (torn write), skipped' };
    return { kind: 'corrupt', message: `not JSON: ${printable((error as Error).message)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'corrupt', message: 'not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  if (typeof record.v === 'number' && record.v > EVENT_VERSION) {
    return { kind: 'unsupported', message: `event version ${record.v} is newer than this inc understands, skipped` };
  }
  const missing = ['id', 'at', 'type', 'actor'].filter((key) => typeof record[key] !== 'string');
  if (record.v !== EVENT_VERSION || missing.length > 0 || typeof record.data !== 'object' || record.data === null) {
    return {
      kind: 'corrupt',
      message: `not an incident event${missing.length ? ` (missing ${missing.join(', ')})` : ''}`,
    };
  }
  if (!isEventType(record.type)) {
    return { kind: 'unsupported', message: `unknown event type "${record.type}", skipped` };
  }
  return { event: record as unknown as IncidentEvent };
}

const RECORD_START = '{"v":';

/** JSON.parse quotes the damaged text; its control bytes must not reach a terminal as they are. */
function printable(message: string): string {
  let out = '';
  for (const c of message) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}

/** Every record starts `{"v":`; a line that is a prefix of that, or starts with it but does not parse, was cut off. */
function isTornRecord(line: string): boolean {
  return line.startsWith(RECORD_START) || RECORD_START.startsWith(line);
}

/** True when JSON.parse failed only because the text ended: the line is a prefix of a valid record. */
function endsEarly(error: Error, line: string): boolean {
  if (/Unexpected end of JSON input/.test(error.message)) return true;
  const position = /at position (\d+)/.exec(error.message)?.[1];
  return position !== undefined && Number(position) >= line.length;
}

/** Throws if the log has a corrupt line: commands that write refuse rather than add to a damaged file. */
export function assertWritable(file: string, contents: LogContents): void {
  const corrupt = contents.issues.find((issue) => issue.kind === 'corrupt');
  if (corrupt) throw new CorruptLogError(file, corrupt.line, corrupt.message);
}

/** Human lines describing the skipped lines of a log, for stderr. */
export function describeIssues(file: string, issues: readonly LogIssue[]): string[] {
  return issues.map((issue) => `warning: ${basename(file)} line ${issue.line}: ${issue.message}`);
}
