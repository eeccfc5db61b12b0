import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { CommandEnv } from '../context.js';

/** Attachments are text evidence (logs, describe output); anything larger belongs elsewhere. */
const MAX_BYTES = 10 * 1024 * 1024;

/** Reads `--attach FILE` (or `-` for stdin) as text for the incident's evidence folder. */
export async function readAttachment(path: string, env: CommandEnv): Promise<{ name: string; content: string }> {
  if (path === '-') {
    if (env.stdinIsTTY)
      throw new UsageError('--attach - reads stdin, but stdin is a terminal', {
        hint: 'pipe into it: kubectl logs … | inc note "…" --attach -',
      });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of env.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > MAX_BYTES) throw new UsageError('--attach: stdin is larger than 10 MiB; nothing was recorded');
      chunks.push(buffer);
    }
    return { name: 'stdin.txt', content: Buffer.concat(chunks).toString('utf8') };
  }
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new UsageError(`--attach: cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_BYTES) throw new UsageError(`--attach: ${path} is larger than 10 MiB; nothing was recorded`);
  return { name: basename(path), content: await readFile(path, 'utf8') };
}
