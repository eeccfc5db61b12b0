import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { UsageError } from '../errors.js';
import { newEventId } from './ids.js';
import { actorFrom, type Env, incHome } from './paths.js';
import { redactText } from './redact.js';
import { appendLine, ensurePrivateDir } from './store.js';

/**
 * Free-text items for the next person on call (things to watch, upcoming risks, maintenance), kept
 * in `INC_HOME/handoff.jsonl` beside the incidents: appended, never rewritten; clearing is a line too.
 */
export interface HandoffNote {
  id: string;
  at: string;
  actor: string;
  text: string;
}

type NoteLine =
  | { v: 1; op: 'add'; id: string; at: string; actor: string; text: string }
  | { v: 1; op: 'clear'; id: string; at: string; actor: string; cleared: string[] };

export function handoffNotesFile(home: string): string {
  return join(home, 'handoff.jsonl');
}

/** The items not cleared yet, oldest first. A line that is not an item (torn, hand-edited) is skipped. */
export async function readHandoffNotes(env: Env): Promise<HandoffNote[]> {
  let text: string;
  try {
    text = await readFile(handoffNotesFile(incHome(env)), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const notes = new Map<string, HandoffNote>();
  for (const raw of text.split('\n')) {
    const line = parseLine(raw);
    if (line?.op === 'add') notes.set(line.id, { id: line.id, at: line.at, actor: line.actor, text: line.text });
    if (line?.op === 'clear') for (const id of line.cleared) notes.delete(id);
  }
  return [...notes.values()];
}

function parseLine(raw: string): NoteLine | undefined {
  if (!raw.trim()) return undefined;
  try {
    const line = JSON.parse(raw) as Partial<NoteLine>;
    if (line.op === 'add' && typeof line.text === 'string' && typeof line.id === 'string') return line as NoteLine;
    if (line.op === 'clear' && Array.isArray(line.cleared)) return line as NoteLine;
  } catch {
    // A torn last line: the items before it still count.
  }
  return undefined;
}

/** Adds an item (redacted: it leaves the machine in every handoff note). */
export async function addHandoffNote(env: Env, clock: Clock, text: string): Promise<HandoffNote> {
  const clean = redactText(text.trim());
  if (!clean)
    throw new UsageError('a handoff item needs some text', {
      hint: 'inc handoff add "db failover drill Thursday 10:00 UTC"',
    });
  const home = incHome(env);
  await ensurePrivateDir(home);
  const note: HandoffNote = {
    id: newEventId(clock),
    at: clock.now().toISOString(),
    actor: actorFrom(env),
    text: clean,
  };
  await appendLine(handoffNotesFile(home), JSON.stringify({ v: 1, op: 'add', ...note }));
  return note;
}

/**
 * Clears items by their number in the current list (1 = oldest), or all of them. A number that is not
 * in the list is refused and nothing is cleared.
 */
export async function clearHandoffNotes(
  env: Env,
  clock: Clock,
  which: { all: true } | { numbers: number[] },
): Promise<HandoffNote[]> {
  const notes = await readHandoffNotes(env);
  const chosen = 'all' in which ? notes : which.numbers.map((n) => notes[n - 1]);
  const missing = 'all' in which ? [] : which.numbers.filter((n) => !notes[n - 1]);
  if (missing.length > 0) {
    throw new UsageError(
      `no handoff item ${missing.join(', ')} (there ${notes.length === 1 ? 'is 1' : `are ${notes.length}`})`,
      {
        hint: 'inc handoff list shows them, numbered',
      },
    );
  }
  const cleared = chosen.filter((note): note is HandoffNote => Boolean(note));
  if (cleared.length === 0) return [];
  await appendLine(
    handoffNotesFile(incHome(env)),
    JSON.stringify({
      v: 1,
      op: 'clear',
      id: newEventId(clock),
      at: clock.now().toISOString(),
      actor: actorFrom(env),
      cleared: cleared.map((n) => n.id),
    }),
  );
  return cleared;
}
