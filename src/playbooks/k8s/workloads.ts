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

export { selectorToString } from '../../label-selector.js';

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
