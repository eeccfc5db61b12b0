import type { InteractiveLogin } from '../kube/credential-plugin.js';
import type { KubeClient, KubeGlobals } from '../kube/index.js';
import type { CommandEnv } from './context.js';

/**
 * A credential plugin's login on the person's terminal (its prompts shown on stderr, its input the
 * terminal's), as kubectl gives it; none without a terminal, where a plugin that asks fails at once.
 */
export function terminalLogin(env: CommandEnv): InteractiveLogin | undefined {
  return env.interactive ? { show: (text) => env.output.err(text) } : undefined;
}

/** Opens the cluster of the command's context (or of `globals`); the Kubernetes layer loads only now. */
export async function openCluster(env: CommandEnv, globals: KubeGlobals = env.globals): Promise<KubeClient> {
  const { openKube } = await import('../kube/index.js');
  const { registerSecretValues } = await import('../incident/redact.js');
  return openKube({
    globals,
    env: env.env,
    clock: env.clock,
    signal: env.signal,
    login: terminalLogin(env),
    onCredentials: registerSecretValues,
  });
}
