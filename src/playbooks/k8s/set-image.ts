import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import { type MutationPlan, pickFields, STRATEGIC_MERGE_PATCH } from './mutation.js';
import { describeWorkload, type WorkloadRef, workloadPath } from './workloads.js';

interface Container {
  name: string;
  image?: string;
}

/**
 * Plans `kubectl set image` on the workload as just read, for one container (or "*": all of them),
 * searching initContainers and containers by name; sent as a strategic merge patch (containers
 * merge by name), never a merge patch.
 */
export function planSetImage(ref: WorkloadRef, workload: RawObject, container: string, image: string): MutationPlan {
  const podSpec = workload.spec?.template?.spec ?? {};
  const patchSpec: Record<string, unknown> = {};
  const previous: Record<string, string> = {};
  for (const list of ['initContainers', 'containers'] as const) {
    const changed = ((podSpec[list] ?? []) as Container[])
      .filter((c) => (container === '*' || c.name === container) && c.image !== image)
      .map((c) => {
        previous[c.name] = c.image ?? '';
        return { name: c.name, image };
      });
    if (changed.length > 0) patchSpec[list] = changed;
  }
  const all = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])] as Container[];
  if (container !== '*' && !all.some((c) => c.name === container)) {
    throw new IncError(`unable to find container named "${container}" in ${describeWorkload(ref)}`, {
      code: 'NO_CONTAINER',
      hint: `containers: ${all.map((c) => c.name).join(', ')}`,
    });
  }
  const fields = ['spec.template.spec.containers', 'spec.template.spec.initContainers'];
  const base = {
    target: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
    resourceVersion: workload.metadata.resourceVersion,
    before: pickFields(workload, fields),
    fields,
  };
  const request = {
    method: 'PATCH' as const,
    path: workloadPath(ref),
    contentType: STRATEGIC_MERGE_PATCH,
    query: { fieldManager: 'kubectl-set' },
    body: { metadata: { resourceVersion: workload.metadata.resourceVersion }, spec: { template: { spec: patchSpec } } },
  };
  const names = Object.keys(previous);
  if (names.length === 0) {
    const message = `${describeWorkload(ref)} already runs ${image}`;
    return { ...base, summary: message, skip: message, request };
  }
  const first = names[0] as string;
  return {
    ...base,
    summary: `set the image of ${names.join(', ')} in ${describeWorkload(ref)} to ${image} (was ${previous[first]})`,
    request,
    inverse:
      names.length === 1
        ? {
            action: 'set-image',
            with: {
              namespace: ref.namespace,
              deployment: ref.name,
              kind: ref.kind.toLowerCase(),
              container: first,
              image: previous[first],
            },
            summary: `set the image of ${first} back to ${previous[first]}`,
          }
        : undefined,
  };
}
