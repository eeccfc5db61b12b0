import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

export const SIM_CONTEXT = 'inc-sim';

/** Context names a kubeconfig can hold and a shell can pass unquoted: several simulators in one KUBECONFIG. */
export const CONTEXT_NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

/**
 * The kubeconfig of the simulated cluster: context, cluster and user `inc-sim` (or the name given),
 * namespace `default`. `insecure-skip-tls-verify` is what lets client-node talk plain http; the
 * token is a placeholder.
 */
export function renderKubeconfig(server: string, name: string = SIM_CONTEXT): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${name}`,
    '  user:',
    '    token: inc-sim-token',
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    '    namespace: default',
    `current-context: ${name}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/**
 * Writes the kubeconfig with mode 0600 (helm and kubectl warn about group-readable ones), opened
 * without following a symbolic link: a link planted at the path must not redirect the write.
 */
export async function writeKubeconfig(path: string, server: string, name: string = SIM_CONTEXT): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const file = await open(path, flags, 0o600).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ELOOP' ? symlinkRefused(path) : error;
  });
  try {
    await file.chmod(0o600);
    await file.writeFile(renderKubeconfig(server, name));
  } finally {
    await file.close();
  }
}

function symlinkRefused(path: string): UsageError {
  return new UsageError(`refusing to write ${path}: it is a symbolic link`, {
    hint: 'give --kubeconfig a regular file path (for example /tmp/inc-sim.yaml)',
  });
}

/**
 * Refuses to overwrite a kubeconfig that is not one of ours: `--kubeconfig ~/.kube/config` must never
 * destroy a user's real cluster credentials.
 */
export async function checkKubeconfigTarget(path: string, name: string = SIM_CONTEXT): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return;
  if (stats.isSymbolicLink()) throw symlinkRefused(path);
  // A device or a pipe would never end or never answer: only a regular file is ours to replace.
  if (!stats.isFile()) {
    throw new UsageError(`refusing to write ${path}: it is not a regular file`, {
      hint: 'give --kubeconfig a new file (for example /tmp/inc-sim.yaml)',
    });
  }
  let existing: string;
  try {
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      existing = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch {
    return;
  }
  if (existing.trim() === '' || existing.includes(`current-context: ${name}\n`)) return;
  throw new UsageError(`refusing to overwrite ${path}: it is a kubeconfig of other clusters`, {
    hint: 'give --kubeconfig a new file (for example /tmp/inc-sim.yaml)',
  });
}
