import { parseAllDocuments } from 'yaml';
import { runProcess } from '../../run-process.js';

/**
 * Where a git repository keeps a ConfigMap's manifest (the path from its root, at HEAD), found with
 * `git grep` and confirmed by parsing: kind ConfigMap, that name, and that namespace or none.
 * undefined when the repository holds none (or git fails: a suggestion is not worth an error).
 */
export async function findConfigManifest(
  repo: string,
  namespace: string,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const run = (args: string[]) =>
    runProcess('git', ['-C', repo, ...args], { signal: options.signal, timeoutMs: 10_000 });
  const grep = await run(['grep', '-l', '-I', '-F', '-e', name, 'HEAD', '--', '*.yaml', '*.yml']);
  if (grep.exitCode !== 0) return undefined;
  const files = grep.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^HEAD:/, ''))
    .slice(0, 20);
  for (const file of files) {
    const shown = await run(['show', `HEAD:${file}`]);
    if (shown.exitCode !== 0) continue;
    const documents = parseAllDocuments(shown.stdout).map(
      (doc) => doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null,
    );
    const match = documents.some(
      (doc) =>
        doc?.kind === 'ConfigMap' &&
        doc.metadata?.name === name &&
        (doc.metadata.namespace === undefined || doc.metadata.namespace === namespace),
    );
    if (match) return file;
  }
  return undefined;
}
