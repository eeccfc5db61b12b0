import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ActionContext } from '../action-types.js';

/**
 * Runs `run` with the environment a program of an `exec` step gets: its KUBECONFIG is the run's
 * kubeconfig files behind a first file that only sets `current-context` to the run's context.
 * kubectl, helm and every client-go program take the first file's current context (as kubectl merges
 * KUBECONFIG), so `kubectl …` in a step acts on the context the banner named and the confirmation
 * was for (`--context`, `--kubeconfig`), not on the kubeconfig's own current context. The file holds
 * no credentials; it is removed once the program ends. In a pod (no kubeconfig file) nothing changes.
 */
export async function withRunKubeconfig<T>(
  ctx: ActionContext,
  run: (env: NodeJS.ProcessEnv | undefined) => Promise<T>,
): Promise<T> {
  const files = (await ctx.kubeconfigFiles?.()) ?? [];
  const { context } = await ctx.cluster();
  if (files.length === 0 || !context) return run(undefined);
  const dir = await mkdtemp(join(tmpdir(), 'inc-exec-'));
  try {
    const file = join(dir, 'context.yaml');
    // JSON is YAML: a context name is written as one quoted scalar, whatever it holds.
    await writeFile(file, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\n`, {
      mode: 0o600,
    });
    return await run({ ...ctx.env, KUBECONFIG: [file, ...files].join(delimiter) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
