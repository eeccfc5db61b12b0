import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFileAtomically } from '../atomic-file.js';
import { onStorage } from '../storage-error.js';
import { ensurePrivateDir, FILE_MODE } from '../store.js';
import { writerIdFile } from './sync-paths.js';

const WRITER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * This INC_HOME's writer id, created once (random, so two homes on one machine never share a file
 * in the shared repository). Two processes creating it at once agree: the file is created exclusively.
 */
export async function readOrCreateWriterId(home: string): Promise<string> {
  const existing = await readWriterId(home);
  if (existing) return existing;
  await ensurePrivateDir(home);
  const file = writerIdFile(home);
  try {
    await createFileAtomically(file, `${randomBytes(6).toString('hex')}\n`, FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = await readWriterId(home);
  if (!created) throw new Error(`${file} does not hold a writer id`);
  return created;
}

async function readWriterId(home: string): Promise<string | undefined> {
  const file = writerIdFile(home);
  const text = await onStorage('read', file, async () => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  });
  const id = text?.trim();
  return id && WRITER_ID.test(id) ? id : undefined;
}
