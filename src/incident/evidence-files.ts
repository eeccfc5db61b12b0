import { lstat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { linkFirstFree, refuseSymlink, writeTemporary } from './atomic-file.js';
import { type EvidencePart, type SavedEvidence, writeCompressedTemporary } from './compressed-evidence.js';
import { currentIdOf } from './incidents.js';
import { evidenceDir } from './paths.js';
import { redactDocument } from './redact.js';
import { isFileSystemError, StorageError } from './storage-error.js';
import { ensurePrivateDir, FILE_MODE } from './store.js';

/** Evidence is text (redacted) or bytes (kept exactly as they are, unless they are UTF-8 text). */
export type EvidenceContent = string | Uint8Array;

/** Text is redacted; bytes that are not UTF-8 text (an image, an archive) are kept byte for byte. */
export function redactEvidence(content: EvidenceContent): string | Uint8Array {
  if (typeof content === 'string') return redactDocument(content);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return content;
  }
  return text.includes('\u0000') ? content : redactDocument(text);
}

/**
 * The incident evidence goes to: its id when the command opened it, and its `declared` event, by
 * which the evidence follows it should a sync rename it meanwhile (a teammate's incident took the id).
 */
export interface EvidenceTarget {
  home: string;
  id: string;
  declaredId?: string;
}

/** Saved evidence, and the id of the incident it is in (a rename may have changed it). */
export interface PlacedEvidence extends SavedEvidence {
  id: string;
}

/**
 * Writes a file under the incident's `evidence/` (text redacted; a taken name gets a suffix,
 * nothing is overwritten); its path is relative to the incident folder. The file appears whole or
 * not at all: a full disk leaves no truncated evidence behind.
 */
export async function writeEvidence(
  target: EvidenceTarget,
  name: string,
  content: EvidenceContent,
): Promise<PlacedEvidence> {
  const body = redactEvidence(content);
  return createUnderFreeName(target, name, async (path) => ({
    temporary: await writeTemporary(path, body, FILE_MODE),
  }));
}

/** Writes a gzip-compressed JSON document under the incident's `evidence/`, part by part (see `EvidencePart`). */
export function writeCompressedEvidence(
  target: EvidenceTarget,
  name: string,
  parts: () => Iterable<EvidencePart>,
): Promise<PlacedEvidence> {
  return createUnderFreeName(target, name, (path) => writeCompressedTemporary(path, parts(), FILE_MODE));
}

/**
 * Creates the file under `evidence/` by the first free form of its name (`x.json`, `x-2.json`, …):
 * written once to a temporary file, then linked under a free name (the document is not redacted and
 * compressed again for each name already taken).
 */
async function createUnderFreeName(
  target: EvidenceTarget,
  name: string,
  write: (path: string) => Promise<{ temporary: string; bytes?: number }>,
): Promise<PlacedEvidence> {
  const id = await locate(target, target.id);
  const dir = evidenceDir(target.home, id);
  const safe =
    basename(name)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^\.+/, '') || 'evidence';
  const first = join(dir, safe);
  try {
    await refuseSymlink(dir);
    await ensurePrivateDir(dir);
    const { temporary, bytes } = await write(first);
    const placed = await linkWhereItIs(target, id, basename(temporary), safe).catch(async (error: unknown) => {
      await removeQuietly(temporary);
      throw error;
    });
    return { id: placed.id, path: `evidence/${basename(placed.file)}`, bytes: bytes ?? 0 };
  } catch (error) {
    throw isFileSystemError(error) ? new StorageError('write the evidence file', first, error) : error;
  }
}

const MOVES = 3;

/**
 * Links the temporary file `temporaryName`, written in the evidence folder of `writtenIn`, under a
 * free name in the incident's evidence folder, then removes the temporary name. A sync may rename
 * the incident at any moment of this: the temporary file then moved with the folder, or stayed in
 * the one a teammate's incident took the id of. It is looked for in both, and a link that landed in
 * the teammate's folder (checked by inode, as names can be alike) is taken back.
 */
async function linkWhereItIs(
  target: EvidenceTarget,
  writtenIn: string,
  temporaryName: string,
  safe: string,
): Promise<{ id: string; file: string }> {
  const folders = new Set([writtenIn]);
  let id = writtenIn;
  for (let move = 0; move < MOVES; move += 1) {
    id = await locate(target, id);
    folders.add(id);
    // A temporary name is random: found by its name wherever it is, it is ours.
    const found = await firstInode([...folders].map((f) => join(evidenceDir(target.home, f), temporaryName)));
    if (found === undefined) break;
    const dir = evidenceDir(target.home, id);
    await refuseSymlink(dir);
    await ensurePrivateDir(dir);
    const file = await linkFirstFree(found.path, freeNames(dir, safe)).catch((error: NodeJS.ErrnoException) => {
      // Moved away between the look and the link: look again.
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (file === null) continue;
    if (file === undefined) throw new Error(`too many evidence files named ${safe}`);
    const { ino } = found;
    const now = await locate(target, id);
    const moved = join(evidenceDir(target.home, now), basename(file));
    if (now === id || (await hasInode(moved, ino))) {
      await Promise.all([...folders].map((f) => removeQuietly(join(evidenceDir(target.home, f), temporaryName))));
      return { id: now, file: moved };
    }
    // Renamed between the two looks, the link is in the folder now under the old id: take it back.
    if (await hasInode(file, ino)) await unlink(file);
  }
  throw Object.assign(new Error(`the evidence file moved away while it was saved (${temporaryName})`), {
    code: 'ENOENT',
  });
}

function locate(target: EvidenceTarget, id: string): Promise<string> {
  return currentIdOf(target.home, id, target.declaredId);
}

function freeNames(dir: string, safe: string): string[] {
  // `.json.gz` keeps both parts after the suffix: `x-2.json.gz`.
  const ext = /(\.[A-Za-z0-9]+)?\.gz$/.exec(safe)?.[0] ?? extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  return Array.from({ length: 999 }, (_, i) => join(dir, i === 0 ? safe : `${stem}-${i + 1}${ext}`));
}

/** The first of the paths that exists, and its inode (which tells a file from another of its name). */
async function firstInode(paths: readonly string[]): Promise<{ path: string; ino: number } | undefined> {
  for (const path of paths) {
    const stats = await lstat(path).catch(() => undefined);
    if (stats) return { path, ino: stats.ino };
  }
  return undefined;
}

async function hasInode(path: string, ino: number): Promise<boolean> {
  return lstat(path).then(
    (stats) => stats.ino === ino,
    () => false,
  );
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
