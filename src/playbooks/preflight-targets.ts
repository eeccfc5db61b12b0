import { UsageError } from '../errors.js';
import type { KubeAccess } from '../kube/access.js';
import { assertTargetExists } from './k8s/find-target.js';
import { describeWorkload, getWorkload, workloadKindOf, workloadPlural } from './k8s/workloads.js';
import type { ParamValues } from './params.js';
import { renderTemplate, shouldRun } from './render-with.js';
import type { Playbook } from './schema.js';

/**
 * Before the first change, every workload, container, pod, ConfigMap and node a step will act on must
 * exist: a mistyped name in a later step would otherwise surface only after the earlier steps had
 * changed the cluster. Throws the "not found; did you mean …" UsageError (exit 2); a target that
 * cannot be read (403) is left to its step, which names the permission. The cluster is opened only
 * if a step names one.
 */
export async function assertStepTargetsExist(
  playbook: Playbook,
  params: ParamValues,
  kube: () => Promise<KubeAccess>,
): Promise<void> {
  const seen = new Set<string>();
  for (const step of playbook.steps) {
    if (!shouldRun(step, params)) continue;
    const w = renderTemplate(step.with, params) as Record<string, unknown>;
    for (const target of targetsOf(w)) {
      const key = `${target.source}/${target.namespace ?? ''}/${target.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await assertTargetExists(await kube(), target.source, target.namespace, target.name);
    }
    await assertContainerExists(w, kube);
  }
}

interface StepTarget {
  source: string;
  namespace?: string;
  name: string;
}

function targetsOf(w: Record<string, unknown>): StepTarget[] {
  const namespace = typeof w.namespace === 'string' ? w.namespace : undefined;
  const targets: StepTarget[] = [];
  if (typeof w.deployment === 'string' && namespace) {
    // The kind as the step's action reads it (sts, ds and the default included).
    const source = workloadPlural(workloadKindOf(typeof w.kind === 'string' ? w.kind : undefined));
    targets.push({ source, namespace, name: w.deployment });
  }
  if (typeof w.pod === 'string' && namespace) targets.push({ source: 'pods', namespace, name: w.pod });
  if (typeof w.configmap === 'string' && namespace)
    targets.push({ source: 'configmaps', namespace, name: w.configmap });
  if (typeof w.node === 'string' && w.pod === undefined && w.selector === undefined) {
    targets.push({ source: 'nodes', name: w.node });
  }
  return targets;
}

/** A step that names a container of its workload (set-image): the workload's template must have it. */
async function assertContainerExists(w: Record<string, unknown>, kube: () => Promise<KubeAccess>): Promise<void> {
  const { container, deployment, namespace } = w;
  if (typeof container !== 'string' || container === '*' || typeof deployment !== 'string') return;
  if (typeof namespace !== 'string') return;
  const ref = { kind: workloadKindOf(typeof w.kind === 'string' ? w.kind : undefined), namespace, name: deployment };
  const workload = await getWorkload(await kube(), ref).catch(() => undefined);
  const spec = (workload?.spec as { template?: { spec?: PodSpecNames } } | undefined)?.template?.spec;
  if (!spec) return;
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name);
  if (names.includes(container)) return;
  throw new UsageError(`container "${container}" not found in ${describeWorkload(ref)}`, {
    code: 'TARGET_NOT_FOUND',
    hint: `its containers: ${names.join(', ') || 'none'}; nothing was changed`,
  });
}

interface PodSpecNames {
  containers?: { name: string }[];
  initContainers?: { name: string }[];
}
