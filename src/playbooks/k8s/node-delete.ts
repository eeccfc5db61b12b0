import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { type MutationPlan, pickFields } from './mutation.js';

/** A pod still bound to the node when it is deleted: the pod garbage collector removes it. */
export interface BoundPod {
  namespace: string;
  name: string;
  uid?: string;
}

/** What is lost with the Node object, shown as the diff: its identity, labels, taints and cordon. */
const NODE_FIELDS = ['metadata.name', 'metadata.uid', 'metadata.labels', 'spec.unschedulable', 'spec.taints'];

export const NODE_DELETE_IRREVERSIBLE =
  'a deleted Node object cannot be put back; the machine comes back only by registering again (its kubelet or the cloud provider), as a new Node';

const nodePath = (node: string) => `/api/v1/nodes/${encodeURIComponent(node)}`;

function readyStatus(object: RawObject): string | undefined {
  const conditions = ((object.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions ?? []) as { type?: string; status?: string }[];
  return conditions.find((c) => c.type === 'Ready')?.status;
}

async function readDownNode(kube: KubeAccess, node: string): Promise<RawObject> {
  const object = await kube.get<RawObject>(nodePath(node));
  if (readyStatus(object) === 'True') {
    throw new IncError(`node ${node} is Ready: its kubelet is running and would register it again`, {
      code: 'NODE_READY',
      hint: `delete-node is for a node that will not come back; to take a working node out of service: inc run cordon-node --set node=${node}`,
    });
  }
  return object;
}

/** Refuses a node that is Ready; says since when one is not. */
export async function assertNodeDown(kube: KubeAccess, node: string): Promise<string> {
  const object = await readDownNode(kube, node);
  const conditions = ((object.status as { conditions?: Record<string, string>[] } | undefined)?.conditions ??
    []) as Record<string, string>[];
  const ready = conditions.find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime ? ` since ${ready.lastTransitionTime}` : '';
  return `node ${node} is down: Ready is ${ready?.status ?? 'missing'}${since}${ready?.reason ? ` (${ready.reason})` : ''}`;
}

/**
 * Plans `kubectl delete node` for a node that will not come back, with its uid as a precondition
 * (a machine that registered again under the same name is a new Node and is left alone). A Ready
 * node is refused: its kubelet is alive and would register it again at once.
 */
export async function planNodeDelete(
  kube: KubeAccess,
  node: string,
): Promise<MutationPlan & { detail: { pods: BoundPod[] } }> {
  const object = await readDownNode(kube, node);
  const { items } = await kube.list<RawObject>('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}` });
  const pods = items.map((pod) => ({
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  }));
  const warnings: string[] = [];
  if (object.spec?.unschedulable !== true)
    warnings.push(`node ${node} is not cordoned: cordon and drain it first (inc run cordon-node)`);
  if (pods.length > 0) {
    const names = pods.map((p) => `${p.namespace}/${p.name}`).join(', ');
    warnings.push(
      `${pods.length} pod(s) still bound to node ${node} (${names}): once it is gone the pod garbage collector force-deletes them; their controllers recreate them on other nodes (a DaemonSet's stay gone with the node; a pod no controller owns is lost)`,
    );
  }
  return {
    target: { kind: 'Node', name: node },
    summary: `delete node ${node} from the API server (cannot be undone)`,
    resourceVersion: object.metadata.resourceVersion,
    before: pickFields(object, NODE_FIELDS),
    fields: NODE_FIELDS,
    request: {
      method: 'DELETE',
      path: nodePath(node),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: object.metadata.uid } },
    },
    warnings,
    irreversible: NODE_DELETE_IRREVERSIBLE,
    detail: { pods },
  };
}
