import { formatDuration } from '../../duration.js';
import { InterruptedError } from '../../errors.js';
import { type ProcessResult, runProcess } from '../../run-process.js';
import type { Env } from '../paths.js';
import { GitFailedError } from './sync-errors.js';

export interface GitCliOptions {
  /** The repository's working copy. */
  cwd: string;
  env: Env;
  /** Each git run gives up after this long (a background push keeps it short). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Settings for every run: checked-out symbolic links stay plain files (a shared repository never
 * points inc at files outside it), no hooks or signing prompts, and never a credential prompt:
 * credentials are git's own (SSH keys, credential helpers).
 */
const SAFE_CONFIG = [
  '-c',
  'core.symlinks=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.autocrlf=false',
];

/** The real `git`, run with an argument array (never a shell) in one working copy. */
export class GitCli {
  constructor(private readonly options: GitCliOptions) {}

  /** Runs git; a non-zero exit is returned, not thrown. */
  async run(args: readonly string[]): Promise<ProcessResult> {
    const env = { ...this.options.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
    const result = await runProcess('git', [...SAFE_CONFIG, ...args], {
      cwd: this.options.cwd,
      env: env as NodeJS.ProcessEnv,
      timeoutMs: this.options.timeoutMs,
      signal: this.options.signal,
      // A fetch from a remote that never answers runs in git's remote-http or ssh, not in git.
      processGroup: true,
    });
    if (result.startError) throw new GitFailedError(args, `git could not be started (${result.startError})`);
    if (this.options.signal?.aborted) {
      throw new InterruptedError('sync interrupted: every event stays recorded here, pushed by the next sync');
    }
    return result;
  }

  /** Runs git and throws when it fails. */
  async must(args: readonly string[]): Promise<string> {
    const result = await this.run(args);
    if (result.exitCode !== 0) throw new GitFailedError(args, this.describeFailure(result));
    return result.stdout;
  }

  /** The last meaningful line git printed, or that it timed out and after how long. */
  describeFailure(result: ProcessResult): string {
    // "timed out" alone leaves the responder guessing whether inc or the remote gave up, and when.
    if (result.timedOut) return `timed out: no answer within ${formatDuration(this.options.timeoutMs)}`;
    return describeGitOutput(result);
  }
}

/** The last meaningful line git printed: its fatal or error line, else its last one. */
function describeGitOutput(result: ProcessResult): string {
  const lines = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const fatal = lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1);
  return fatal ?? `exit code ${result.exitCode}`;
}
