import { parseAllDocuments } from 'yaml';
import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import type { ProcessRunner } from '../action-types.js';
import { StepRefusedError } from '../errors.js';

export interface GitFileSource {
  repo: string;
  revision: string;
  file: string;
  signal?: AbortSignal;
}

/** A step's `repo`, `revision` and `file`, with their defaults: the current folder, the revision before HEAD. */
export function gitFileSource(
  w: { repo?: string; revision?: string; file: string },
  signal: AbortSignal,
): GitFileSource & { describe: string } {
  const repo = w.repo ?? '.';
  const revision = w.revision ?? 'HEAD~1';
  return {
    repo,
    revision,
    file: w.file,
    signal,
    describe: `${revision}:${w.file}${repo === '.' ? '' : ` in ${repo}`}`,
  };
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

/**
 * The document of a manifest that is the `kind` named `ref.name`; refused when there is none, or
 * when it names another namespace than `ref`'s.
 */
export function findManifest(
  shown: { spec: string; documents: readonly (RawObject | null)[] },
  kind: string,
  ref: { namespace: string; name: string },
): RawObject {
  const { spec, documents } = shown;
  const manifest = documents.find((doc) => doc?.kind === kind && doc.metadata?.name === ref.name);
  if (!manifest) {
    throw new StepRefusedError(`${spec} holds no ${kind} named ${ref.name} (found: ${describeDocuments(documents)})`);
  }
  const namespace = manifest.metadata.namespace;
  if (namespace && namespace !== ref.namespace) {
    throw new StepRefusedError(`${spec} is ${kind} ${namespace}/${ref.name}, not ${ref.namespace}/${ref.name}`);
  }
  return manifest;
}
