import { parseAllDocuments } from 'yaml';
import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import type { ProcessRunner } from '../action-types.js';

export interface GitFileSource {
  repo: string;
  revision: string;
  file: string;
  signal?: AbortSignal;
}

/**
 * The YAML documents of a manifest as a git revision holds it: `git show REVISION:FILE`, run with an
 * argument array (no shell). `spec` is the `REVISION:FILE` shown, for messages.
 */
export async function showManifests(
  run: ProcessRunner,
  source: GitFileSource,
): Promise<{ spec: string; documents: (RawObject | null)[] }> {
  const spec = `${source.revision}:${source.file.replace(/^\.\//, '')}`;
  const shown = await run('git', ['show', spec], { cwd: source.repo, timeoutMs: 30_000, signal: source.signal });
  if (shown.startError) throw new IncError(`git could not be started: ${shown.startError}`, { code: 'GIT_FAILED' });
  if (shown.exitCode !== 0) {
    throw new IncError(`git show ${spec} failed in ${source.repo}: ${shown.stderr.trim().split('\n')[0] ?? ''}`, {
      code: 'GIT_FAILED',
      hint: 'file is the manifest path from the repository root; revision a commit, tag or HEAD~N',
    });
  }
  return { spec, documents: parseAllDocuments(shown.stdout).map((doc) => doc.toJS() as RawObject | null) };
}

/** "ConfigMap a, Service b": what a manifest holds, for a refusal that names what was found. */
export function describeDocuments(documents: readonly (RawObject | null)[]): string {
  return documents.map((doc) => `${doc?.kind ?? '?'} ${doc?.metadata?.name ?? '?'}`).join(', ') || 'nothing';
}
