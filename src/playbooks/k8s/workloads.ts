import type { KubeAccess, RawObject } from '../../kube/access.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

const PLURAL: Record<WorkloadKind, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/** "deployments", "statefulsets", "daemonsets": the API's resource name of a kind. */
export function workloadPlural(kind: WorkloadKind): string {
  return PLURAL[kind];
}

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

/** Deep copy of plain JSON. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
