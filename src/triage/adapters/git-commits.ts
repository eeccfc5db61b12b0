import { runProcess } from '../../run-process.js';
import type { Commit } from '../types.js';

const FIELD = '\u001f';

/** The last commits of a git repository (no shell): what CI may have just deployed. */
export async function readCommits(
  repo: string,
  options: { count?: number; signal?: AbortSignal } = {},
): Promise<Commit[]> {
  const result = await runProcess(
    'git',
    ['-C', repo, 'log', `-n${options.count ?? 10}`, `--format=%H${FIELD}%an${FIELD}%cI${FIELD}%s`],
    { signal: options.signal, timeoutMs: 10_000 },
  );
  if (result.exitCode !== 0) {
    const detail = result.stderr.split('\n')[0] || (result.startError ?? (result.timedOut ? 'timed out' : ''));
    throw new Error(`git log in ${repo} failed: ${detail}`);
  }
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', author = '', at = '', subject = ''] = line.split(FIELD);
      return { sha, author, at: new Date(at).toISOString(), subject };
    });
}
