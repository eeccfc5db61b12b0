import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../paths.js';
import { ensurePrivateDir } from '../store.js';
import { GitCli } from './git-cli.js';
import { SyncUnreachableError } from './sync-errors.js';
import { exists } from './sync-paths.js';

/** The one branch of the shared repository. */
const BRANCH = 'main';
const REMOTE_REF = `refs/remotes/origin/${BRANCH}`;

export interface SharedRepoOptions {
  folder: string;
  remote: string;
  env: Env;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type PushOutcome = { kind: 'pushed' } | { kind: 'rejected' };

/**
 * The working copy of the shared repository. It never holds work of its own: before each round it
 * is reset to what the remote has, so a merge (and a conflict) can never happen; the live
 * events.jsonl stays outside git altogether.
 */
export class SharedRepo {
  private constructor(
    private readonly git: GitCli,
    private readonly remote: string,
  ) {}

  /** Opens (or creates) the working copy for this remote; a copy of another remote is replaced. */
  static async open(options: SharedRepoOptions): Promise<SharedRepo> {
    const git = new GitCli({
      cwd: options.folder,
      env: options.env,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    const repo = new SharedRepo(git, options.remote);
    if (await exists(join(options.folder, '.git'))) {
      const url = await git.run(['remote', 'get-url', 'origin']);
      if (url.exitCode === 0 && url.stdout.trim() === options.remote) return repo;
      await rm(options.folder, { recursive: true, force: true });
    }
    await ensurePrivateDir(options.folder);
    await git.must(['init', '--quiet', '--template=', `--initial-branch=${BRANCH}`]);
    await git.must(['remote', 'add', 'origin', options.remote]);
    return repo;
  }

  /** Fetches the remote's branch; an unreachable remote is a `SyncUnreachableError`. */
  async fetch(): Promise<void> {
    const result = await this.git.run(['fetch', '--quiet', '--no-tags', '--prune', 'origin']);
    if (result.exitCode !== 0) throw new SyncUnreachableError(this.remote, this.git.describeFailure(result));
  }

  /** Makes the working copy exactly what the remote held at the last fetch (empty for a new remote). */
  async resetToRemote(): Promise<void> {
    const known = await this.git.run(['rev-parse', '--verify', '--quiet', REMOTE_REF]);
    if (known.exitCode === 0) {
      await this.git.must(['reset', '--quiet', '--hard', REMOTE_REF]);
    } else {
      await this.git.must(['read-tree', '--empty']);
      await this.git.run(['update-ref', '-d', `refs/heads/${BRANCH}`]);
    }
    await this.git.must(['clean', '--quiet', '-d', '--force', '-x']);
  }

  /** Commits everything in the working copy; false when there was nothing to commit. */
  async commitAll(message: string, author: string): Promise<boolean> {
    await this.git.must(['add', '--all']);
    const status = await this.git.must(['status', '--porcelain']);
    if (status.trim() === '') return false;
    const name = author.replace(/[<>\n]/g, '') || 'inc';
    await this.git.must([
      '-c',
      `user.name=${name}`,
      '-c',
      'user.email=inc@invalid',
      'commit',
      '--quiet',
      '-m',
      message,
    ]);
    return true;
  }

  /** Pushes the commit; `rejected` when the remote moved on since the fetch (try another round). */
  async push(): Promise<PushOutcome> {
    const result = await this.git.run(['push', '--quiet', '--porcelain', 'origin', `HEAD:refs/heads/${BRANCH}`]);
    if (result.exitCode === 0) {
      await this.git.run(['update-ref', REMOTE_REF, 'HEAD']);
      return { kind: 'pushed' };
    }
    const text = `${result.stdout}\n${result.stderr}`;
    if (
      /\[rejected\]|\[remote rejected\].*(lock|fast-forward)|non-fast-forward|fetch first|cannot lock ref/i.test(text)
    ) {
      return { kind: 'rejected' };
    }
    throw new SyncUnreachableError(this.remote, this.git.describeFailure(result));
  }
}
