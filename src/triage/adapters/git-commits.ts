import type { Commit } from '../types.js';

const FIELD = '\u001f';

/** The last commits of a git repository (execa, no shell): what CI may have just deployed. */
export async function readCommits(
  repo: string,
  options: { count?: number; signal?: AbortSignal } = {},
): Promise<Commit[]> {
  const { execa } = await import('execa');
  const result = await execa(
    'git',
    ['-C', repo, 'log', `-n${options.count ?? 10}`, `--format=%H${FIELD}%an${FIELD}%cI${FIELD}%s`],
    {
      reject: false,
      cancelSignal: options.signal,
      timeout: 10_000,
    },
  );
  if (result.exitCode !== 0) {
    const detail = String(result.stderr || result.message || '').split('\n')[0];
    throw new Error(`git log in ${repo} failed: ${detail}`);
  }
  return String(result.stdout)
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', author = '', at = '', subject = ''] = line.split(FIELD);
      return { sha, author, at: new Date(at).toISOString(), subject };
    });
}
