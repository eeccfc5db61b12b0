import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { CommandEnv } from '../context.js';

/** Attachments are evidence (logs, describe output, a screenshot); anything larger belongs elsewhere. */
const MAX_BYTES = 10 * 1024 * 1024;

const tooLarge = (what: string) => new UsageError(`--attach: ${what} is larger than 10 MiB; nothing was recorded`);

/**
 * Reads `--attach FILE` (or `-` for stdin) byte for byte for the incident's evidence folder. Only a
 * regular file is read, and never more than the cap plus one byte, so `/dev/zero` or a FIFO cannot
 * exhaust memory or hang.
 */
export async function readAttachment(path: string, env: CommandEnv): Promise<{ name: string; content: Buffer }> {
  if (path === '-') return { name: 'stdin.txt', content: await readStdin(env) };
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`--attach: cannot read ${path}: ${describeOpenError(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const kind = stats.isDirectory() ? 'a folder' : 'not a regular file';
      throw new UsageError(`--attach: ${path} is ${kind}; attach a regular file`, {
        hint: 'to keep a command output, pipe it: COMMAND | inc note "…" --attach -',
      });
    }
    // The size on disk is not trusted (files in /proc say 0): read until the end or past the cap.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= MAX_BYTES) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_BYTES + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > MAX_BYTES) throw tooLarge(path);
    return { name: basename(path), content: Buffer.concat(chunks) };
  } finally {
    await handle.close();
  }
}

async function readStdin(env: CommandEnv): Promise<Buffer> {
  if (env.stdinIsTTY)
    throw new UsageError('--attach - reads stdin, but stdin is a terminal', {
      hint: 'pipe into it: kubectl logs … | inc note "…" --attach -',
    });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of env.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BYTES) throw tooLarge('stdin');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}
