import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SymlinkRefusedError } from './errors.js';
import { syncDir } from './store.js';

type Content = string | Uint8Array;

/**
 * Opens a new temporary file beside `path`, hidden and randomly named, created exclusively and never
 * through a link; the caller writes, syncs and closes it, or removes it on failure.
 */
export async function openTemporary(path: string, mode: number): Promise<{ temporary: string; handle: FileHandle }> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  return { temporary, handle: await open(temporary, flags, mode) };
}

/** Writes the content to a new temporary file beside `path` and syncs it; nothing is left behind on failure. */
export async function writeTemporary(path: string, content: Content, mode: number): Promise<string> {
  const { temporary, handle } = await openTemporary(path, mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temporary;
}

/** Throws `SymlinkRefusedError` when `path` is a symbolic link; a missing path is fine. */
export async function refuseSymlink(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats?.isSymbolicLink()) throw new SymlinkRefusedError(path);
}

/**
 * Creates `path` with the content, all or nothing: the bytes go to a temporary file that is then
 * linked into place, so a full disk never leaves a truncated file. Fails with EEXIST if `path`
 * exists (a symbolic link included: nothing is written through it).
 */
export async function createFileAtomically(path: string, content: Content, mode: number): Promise<void> {
  const temporary = await writeTemporary(path, content, mode);
  try {
    await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await syncDir(dirname(path));
}

/** Replaces or creates `path` all or nothing (temporary file, then rename); refuses a symbolic link. */
export async function replaceFileAtomically(path: string, content: Content, mode: number): Promise<void> {
  await refuseSymlink(path);
  const temporary = await writeTemporary(path, content, mode);
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(path));
}

/** Links `source` under the first of `paths` that is free, and syncs its folder; undefined when none is. */
export async function linkFirstFree(source: string, paths: Iterable<string>): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await link(source, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await syncDir(dirname(path));
    return path;
  }
  return undefined;
}
