import type { KubeClient } from './client.js';

/** The part of the client the mutation modules use; tests can pass a fake with the same shape. */
export type KubeAccess = Pick<KubeClient, 'get' | 'list' | 'request'>;

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** A Kubernetes object as raw JSON: no typed model drops a field. */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { uid: string; controller?: boolean; kind?: string; name?: string }[];
    [key: string]: unknown;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
  [key: string]: unknown;
}

const PLURAL: Record<WorkloadKind, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/** "deployment", "statefulset", "daemonset" (a playbook's `kind`) → the API kind. */
export function workloadKindOf(kind: string | undefined): WorkloadKind {
  switch ((kind ?? 'deployment').toLowerCase()) {
    case 'statefulset':
    case 'sts':
      return 'StatefulSet';
    case 'daemonset':
    case 'ds':
      return 'DaemonSet';
    default:
      return 'Deployment';
  }
}

export function workloadPath(ref: WorkloadRef, subresource?: string): string {
  const base = `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/${PLURAL[ref.kind]}/${encodeURIComponent(ref.name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** "deployment payments/api": how messages name a workload. */
export function describeWorkload(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export async function getWorkload(kube: KubeAccess, ref: WorkloadRef): Promise<RawObject> {
  return kube.get<RawObject>(workloadPath(ref));
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector: matchLabels as k=v, expressions as in/notin/exists, joined by ",". */
export function selectorToString(selector: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`${key}=${value}`);
  }
  for (const expr of selector?.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    if (expr.operator === 'In') parts.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') parts.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') parts.push(expr.key);
    else if (expr.operator === 'DoesNotExist') parts.push(`!${expr.key}`);
  }
  return parts.join(',');
}

/** metav1.IsControlledBy: some ownerReference is the controller and has the owner's uid (kind and name are not checked). */
export function isControlledBy(object: RawObject, owner: RawObject): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (ref) => ref.controller === true && ref.uid === owner.metadata.uid,
  );
}

/** Whether an error is the API server's 409 Conflict (optimistic lock). */
export function isConflict(error: unknown): boolean {
  return (error as { status?: number }).status === 409;
}

export function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

/** Deep copy of plain JSON. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
