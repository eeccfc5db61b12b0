import type { KubeAccess } from '../kube/access.js';
import { assertTargetExists } from './k8s/find-target.js';
import { workloadKindOf, workloadPlural } from './k8s/workloads.js';
import type { ParamValues } from './params.js';
import { renderTemplate, shouldRun } from './render-with.js';
import type { Playbook } from './schema.js';

/**
 * Before the first change, every workload and node a step will act on must exist: a mistyped name
 * in a later step would otherwise surface only after the earlier steps had changed the cluster.
 * Throws the "not found; did you mean …" UsageError (exit 2); a target that cannot be read (403)
 * is left to its step, which names the permission. The cluster is opened only if a step names one.
 */
export async function assertStepTargetsExist(
  playbook: Playbook,
  params: ParamValues,
  kube: () => Promise<KubeAccess>,
): Promise<void> {
  const seen = new Set<string>();
  for (const step of playbook.steps) {
    if (!shouldRun(step, params)) continue;
    const target = targetOf(renderTemplate(step.with, params) as Record<string, unknown>);
    if (!target) continue;
    const key = `${target.source}/${target.namespace ?? ''}/${target.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await assertTargetExists(await kube(), target.source, target.namespace, target.name);
  }
}

function targetOf(w: Record<string, unknown>): { source: string; namespace?: string; name: string } | undefined {
  if (typeof w.deployment === 'string' && typeof w.namespace === 'string') {
    // The kind as the step's action reads it (sts, ds and the default included).
    const source = workloadPlural(workloadKindOf(typeof w.kind === 'string' ? w.kind : undefined));
    return { source, namespace: w.namespace, name: w.deployment };
  }
  if (typeof w.node === 'string' && w.pod === undefined && w.selector === undefined) {
    return { source: 'nodes', name: w.node };
  }
  return undefined;
}
