import type { KubeAccess, RawObject } from '../../kube/access.js';
import { configRefsOf } from '../../pod-config-refs.js';
import type { WorkloadKind, WorkloadRef } from './workloads.js';

const KINDS: [WorkloadKind, string][] = [
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulsets'],
  ['DaemonSet', 'daemonsets'],
];

/** The workloads of a namespace whose pod template reads the ConfigMap (env, envFrom, volumes, projected). */
export async function listConfigMapReaders(
  kube: KubeAccess,
  namespace: string,
  configMap: string,
): Promise<WorkloadRef[]> {
  const lists = await Promise.all(
    KINDS.map(async ([kind, plural]) => {
      const list = await kube.list<RawObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`);
      return list.items
        .filter((workload) =>
          configRefsOf(workload.spec?.template).some((ref) => ref.kind === 'ConfigMap' && ref.name === configMap),
        )
        .map((workload): WorkloadRef => ({ kind, namespace, name: workload.metadata.name }));
    }),
  );
  return lists.flat();
}
