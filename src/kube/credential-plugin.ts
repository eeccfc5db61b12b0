import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** Where a credential plugin's prompts go while it asks for a login: the person's terminal. */
export interface InteractiveLogin {
  show(text: string): void;
}

/** The parts of a kubeconfig `exec` entry that decide how its plugin runs. */
interface ExecEntry {
  apiVersion?: unknown;
  interactiveMode?: unknown;
  provideClusterInfo?: unknown;
}

type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/**
 * The spawn client-node runs a credential plugin with, made to run it as kubectl does. The plugin
 * learns from KUBERNETES_EXEC_INFO whether it may ask for a login. With a terminal (`login`), and
 * unless its `interactiveMode` is Never, it reads the terminal and what it writes on stderr is shown
 * as it comes: a device code, an MFA prompt, the URL to open. client-node would keep that until the
 * plugin ended, and leave the plugin waiting on an input no one could type into. Without a terminal
 * its input is empty, so a plugin that would ask fails at once; one whose `interactiveMode` is
 * Always is refused, as kubectl refuses it. With `provideClusterInfo`, the plugin is told the
 * cluster (`cluster()`: its server, CA and the kubeconfig's exec extension), as kubectl tells it.
 */
export function credentialPluginSpawn(
  exec: ExecEntry,
  login: InteractiveLogin | undefined,
  cluster: () => Record<string, unknown>,
): Spawn {
  const interactive = login !== undefined && exec.interactiveMode !== 'Never';
  return (command, args, options) => {
    if (exec.interactiveMode === 'Always' && !interactive)
      throw new Error('it asks for a login on a terminal (interactiveMode: Always), and inc is not running on one');
    const info = {
      apiVersion: typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive, ...(exec.provideClusterInfo === true && { cluster: cluster() }) },
    };
    const child = spawn(command, args, {
      ...options,
      env: { ...(options.env ?? process.env), KUBERNETES_EXEC_INFO: JSON.stringify(info) },
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
    });
    if (interactive) child.stderr?.on('data', (chunk: unknown) => login?.show(String(chunk).replace(/\r?\n$/, '')));
    return child;
  };
}
