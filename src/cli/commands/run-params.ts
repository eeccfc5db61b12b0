import type { IncConfig } from '../../config.js';
import type { KubeClient } from '../../kube/client.js';
import type { ParamValue, ParamValues } from '../../playbooks/params.js';
import type { Playbook } from '../../playbooks/schema.js';
import type { Prompter } from '../../prompter.js';
import type { CommandEnv } from '../context.js';

/** What parameter resolution needs of a playbook session. */
interface ParamSession {
  prompter: Prompter;
  config: Pick<IncConfig, 'playbookDefaults'>;
  kube(): Promise<KubeClient>;
}

const text = (value: ParamValue | undefined) => (typeof value === 'string' && value ? value : undefined);

/**
 * Resolves a run's parameters against the cluster. On a terminal a namespace not given (-n or
 * --set) is asked, the context's offered first; without one it is the context's. A deployment's
 * only container is taken without asking. A named target that does not exist in the namespace is
 * reported ("did you mean shop/web?") before the banner and before anything else is asked.
 */
export async function resolveRunParams(
  env: CommandEnv,
  session: ParamSession,
  playbook: Playbook,
  sets: readonly string[],
  checkTargets: boolean,
): Promise<ParamValues> {
  const { resolveParams } = await import('../../playbooks/params.js');
  const { askParamWith, inferParamWith } = await import('../../playbooks/ask-param.js');
  const { concreteSource, listChoices } = await import('../../playbooks/k8s/choices.js');
  const { assertTargetExists } = await import('../../playbooks/k8s/find-target.js');
  const needsNamespace = playbook.params.some((p) => p.name === 'namespace');
  const contextNamespace = needsNamespace
    ? await session.kube().then(
        (k) => k.namespace,
        () => undefined,
      )
    : undefined;
  const lister = async (source: string, values: Readonly<ParamValues>) =>
    listChoices(await session.kube(), source, {
      namespace: text(values.namespace) ?? contextNamespace ?? 'default',
      deployment: text(values.deployment),
      kind: text(values.kind),
    });
  return resolveParams({
    playbook,
    sets,
    defaultNamespace: env.globals.namespace ?? (env.interactive ? undefined : contextNamespace),
    configured: session.config.playbookDefaults[playbook.metadata.name],
    ask: env.interactive ? askParamWith(session.prompter, lister, contextNamespace) : undefined,
    infer: inferParamWith(lister, (line) => env.output.err(env.errTheme.dim(line))),
    check: async (param, values) => {
      const name = text(values[param.name]);
      const namespace = text(values.namespace);
      if (!checkTargets || !param.choicesFrom || !name) return;
      const source = concreteSource(param.choicesFrom, text(values.kind));
      await assertTargetExists(await session.kube(), source, namespace, name);
    },
  });
}
