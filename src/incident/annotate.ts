import { UsageError } from '../errors.js';
import {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_TYPES,
  type ActionItemPriority,
  type ActionItemType,
  type NoteKind,
} from './event.js';
import { type EvidenceContent, writeEvidence } from './evidence-files.js';
import {
  evidenceTargetOf,
  type IncidentLog,
  type RecordOutcome,
  recordChange,
  recordToLog,
  type WriteContext,
} from './log.js';

export interface NoteOptions {
  text: string;
  action?: boolean;
  decision?: boolean;
  owner?: string;
  /** Already parsed (ISO date or date-time). */
  due?: string;
  itemType?: string;
  /** P1, P2 or P3 (any case). */
  priority?: string;
  /** A file to keep with the note (command output, a screenshot's text), saved under evidence/. */
  attachment?: { name: string; content: EvidenceContent };
}

const TODO_PREFIX = /^\s*(TODO|AI|ACTION)\s*:\s*/i;

/**
 * Adds a note (`inc note`). A note starting "TODO:" or given `--action` is a follow-up action item;
 * `--decision` marks a decision.
 */
export async function addNote(
  log: IncidentLog,
  ctx: WriteContext,
  options: NoteOptions,
): Promise<RecordOutcome<'note'>> {
  const todo = TODO_PREFIX.test(options.text);
  const text = (todo ? options.text.replace(TODO_PREFIX, '') : options.text).trim();
  if (!text) throw new UsageError('a note needs some text', { hint: 'inc note "restarted the payment workers"' });
  if (options.decision && (options.action || todo)) {
    throw new UsageError('a note is either a decision or an action item, not both', {
      hint: 'record them as two notes',
    });
  }
  const kind: NoteKind = options.decision ? 'decision' : options.action || todo ? 'action-item' : 'note';
  if (kind !== 'action-item' && (options.owner || options.due || options.itemType || options.priority)) {
    throw new UsageError('--owner, --due, --type and --priority are for action items', {
      hint: 'add --action (or start the note with "TODO:")',
    });
  }
  const itemType = parseItemType(options.itemType);
  const priority = parsePriority(options.priority);
  const evidence = options.attachment
    ? (await writeEvidence(evidenceTargetOf(log), options.attachment.name, options.attachment.content)).path
    : undefined;
  return recordToLog(log, ctx, 'note', {
    text,
    kind,
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.due ? { due: options.due } : {}),
    ...(itemType ? { itemType } : {}),
    ...(priority ? { priority } : {}),
    ...(evidence ? { evidence } : {}),
  });
}

function parsePriority(value: string | undefined): ActionItemPriority | undefined {
  if (value === undefined) return undefined;
  const priority = value.trim().toUpperCase();
  if ((ACTION_ITEM_PRIORITIES as readonly string[]).includes(priority)) return priority as ActionItemPriority;
  throw new UsageError(`unknown priority "${value}"`, { hint: `use one of: ${ACTION_ITEM_PRIORITIES.join(', ')}` });
}

function parseItemType(value: string | undefined): ActionItemType | undefined {
  if (value === undefined) return undefined;
  const type = value.toLowerCase();
  if ((ACTION_ITEM_TYPES as readonly string[]).includes(type)) return type as ActionItemType;
  throw new UsageError(`unknown action item type "${value}"`, { hint: `use one of: ${ACTION_ITEM_TYPES.join(', ')}` });
}

export interface SeverityChangeOptions {
  /** Canonical name (aliases resolved by the caller through the config). */
  to: string;
  reason?: string;
}

/** Changes the severity (`inc sev`); recording the previous one and why. */
export async function changeSeverity(
  log: IncidentLog,
  ctx: WriteContext,
  options: SeverityChangeOptions,
): Promise<RecordOutcome<'severity'>> {
  return recordChange(log, ctx, 'severity', (state) => {
    if (state.severity === options.to) return { unchanged: `the severity is already ${options.to}` };
    return { record: { from: state.severity, to: options.to, ...(options.reason ? { reason: options.reason } : {}) } };
  });
}

/** Assigns a role (`inc role`), recording who handed over to whom. */
export async function assignRole(
  log: IncidentLog,
  ctx: WriteContext,
  options: { role: string; name: string },
): Promise<RecordOutcome<'role'>> {
  const name = options.name.trim();
  if (!name) throw new UsageError('a role needs a person', { hint: 'inc role commander alice' });
  return recordChange(log, ctx, 'role', (state) => {
    const previous = state.roles[options.role];
    if (previous === name) return { unchanged: `${name} is already ${options.role}` };
    return { record: { role: options.role, name, ...(previous ? { previous } : {}) } };
  });
}
