import type { KubeAccess, RawObject } from '../../kube/access.js';
import { MERGE_PATCH, type MutationPlan, pickFields } from './mutation.js';

/** Plans `kubectl cordon` (spec.unschedulable: true) or uncordon, with a resourceVersion precondition. */
export async function planCordon(kube: KubeAccess, node: string, uncordon = false): Promise<MutationPlan> {
  const object = await kube.get<RawObject>(`/api/v1/nodes/${encodeURIComponent(node)}`);
  const cordoned = object.spec?.unschedulable === true;
  const want = !uncordon;
  const request = {
    method: 'PATCH' as const,
    path: `/api/v1/nodes/${encodeURIComponent(node)}`,
    contentType: MERGE_PATCH,
    body: {
      metadata: { resourceVersion: object.metadata.resourceVersion },
      spec: { unschedulable: want ? true : null },
    },
  };
  const base = {
    target: { kind: 'Node', name: node },
    resourceVersion: object.metadata.resourceVersion,
    // As the API serves it (absent when schedulable), so a refreshed read after a 409 compares equal.
    before: pickFields(object, ['spec.unschedulable']),
    fields: ['spec.unschedulable'],
    request,
  };
  if (cordoned === want) {
    const message = `node ${node} is already ${want ? 'cordoned' : 'schedulable'}`;
    return { ...base, summary: message, skip: message };
  }
  return {
    ...base,
    summary: want ? `cordon node ${node} (no new pods are scheduled on it)` : `uncordon node ${node}`,
    inverse: {
      action: 'node.cordon',
      with: want ? { node, uncordon: true } : { node },
      summary: want ? `uncordon node ${node}` : `cordon node ${node}`,
    },
  };
}
