import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

export const SIM_CONTEXT = 'inc-sim';

/**
 * The kubeconfig of the simulated cluster: context, cluster and user `inc-sim`, namespace `default`.
 * `insecure-skip-tls-verify` is what lets client-node talk plain http; the token is a placeholder.
 */
export function renderKubeconfig(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${SIM_CONTEXT}`,
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${SIM_CONTEXT}`,
    '  user:',
    '    token: inc-sim-token',
    'contexts:',
    `- name: ${SIM_CONTEXT}`,
    '  context:',
    `    cluster: ${SIM_CONTEXT}`,
    `    user: ${SIM_CONTEXT}`,
    '    namespace: default',
    `current-context: ${SIM_CONTEXT}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** Writes the kubeconfig with mode 0600 (helm and kubectl warn about group-readable ones). */
export async function writeKubeconfig(path: string, server: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(server), { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * Refuses to overwrite a kubeconfig that is not one of ours: `--kubeconfig ~/.kube/config` must never
 * destroy a user's real cluster credentials.
 */
export async function checkKubeconfigTarget(path: string): Promise<void> {
  let existing: string;
  try {
    existing = await readFile(path, 'utf8');
  } catch {
    return;
  }
  if (existing.trim() === '' || existing.includes(`current-context: ${SIM_CONTEXT}\n`)) return;
  throw new UsageError(`refusing to overwrite ${path}: it is a kubeconfig of other clusters`, {
    hint: 'give --kubeconfig a new file (for example /tmp/inc-sim.yaml)',
  });
}
