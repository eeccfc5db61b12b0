import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IncError } from '../../errors.js';
import { runProcess } from '../../run-process.js';
import type { ConfigCommit } from '../../sim/config-history.js';

/**
 * Lays out the git repository that deploys the scenario's ConfigMaps, one commit per version as it
 * was applied (dated when it was), the way a team keeps its config: triage finds a changed ConfigMap's
 * manifest there, and configmap-rollback restores the version before the change from it.
 */
export async function writeConfigRepository(
  dir: string,
  commits: readonly ConfigCommit[],
  nowMs: number,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const git = async (args: string[], date?: string) => {
    const result = await runProcess(
      'git',
      [
        '-C',
        dir,
        '-c',
        'user.name=inc demo',
        '-c',
        'user.email=demo@example.com',
        '-c',
        'commit.gpgsign=false',
        '-c',
        'init.defaultBranch=main',
        ...args,
      ],
      { env: { ...env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) }, timeoutMs: 10_000 },
    );
    if (result.exitCode !== 0)
      throw new IncError(`git ${args[0]} failed in ${dir}: ${(result.stderr || result.startError || '').trim()}`);
  };
  await mkdir(dir, { recursive: true });
  await git(['init', '-q']);
  for (const commit of commits) {
    const file = join(dir, commit.file);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, commit.manifest);
    await git(['add', '--', commit.file]);
    await git(['commit', '-q', '--no-verify', '-m', commit.message], new Date(nowMs + commit.atMs).toISOString());
  }
}
