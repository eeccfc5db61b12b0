import { dirname } from 'node:path';
import { IncError } from '../errors.js';

/** What an errno means, in words, for the file systems inc writes to. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link, and inc does not follow links for its own files',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
  EFBIG: 'the file is too large',
};

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'free some space (or point INC_HOME at another disk) and run the command again',
  EDQUOT: 'free some space (or point INC_HOME at another disk) and run the command again',
  EROFS: 'point INC_HOME at a writable folder (inc keeps its state in $INC_HOME, default ~/.local/state/inc)',
  ELOOP: 'replace the link by the real file or folder, or point INC_HOME elsewhere',
};

/** A file or folder of inc's own could not be read or written: a clear message, exit 1, no stack. */
export class StorageError extends IncError {
  readonly errno: string | undefined;

  constructor(what: string, path: string, cause: unknown, outcome = 'nothing was recorded') {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    // A write that finds no such file is missing its folder (a mistyped -o path, a deleted INC_HOME);
    // Node's own message names the temporary file, which the user never asked for.
    const noFolder = errno === 'ENOENT' && /^(write|create)/.test(what);
    const reason = noFolder
      ? `the folder ${dirname(path)} does not exist`
      : ((errno && ERRNO_TEXT[errno]) ?? (cause instanceof Error ? cause.message : String(cause)));
    super(`cannot ${what} ${path}: ${reason}${errno ? ` (${errno})` : ''}; ${outcome}`, {
      code: 'STORAGE',
      hint: noFolder
        ? 'create that folder, or give a path in one that exists'
        : ((errno && HINTS[errno]) ?? `check that ${dirname(path)} is a writable folder with free space`),
      cause,
    });
    this.errno = errno;
  }
}

/** True for the errors of a file system (an errno code), as opposed to bugs. */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && !(error instanceof IncError);
}

/**
 * Runs a file operation; a file-system failure becomes a `StorageError` naming the path and what
 * the errno means, so a full disk or a read-only home is a message, not a stack trace.
 */
export async function onStorage<T>(what: string, path: string, run: () => Promise<T>, outcome?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isFileSystemError(error)) throw new StorageError(what, path, error, outcome);
    throw error;
  }
}
