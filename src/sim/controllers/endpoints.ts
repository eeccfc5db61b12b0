/**
 * The endpoints controller: one Endpoints object per Service with a selector, named after it,
 * listing the matching pods that have an IP: ready ones under `addresses`, the others under
 * `notReadyAddresses`, with the service's ports (target ports resolved by name on the pod).
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { isPodReady } from './replicaset.js';
import { type Dict, deepEqual, isDeleting, matchesMap } from './util.js';

export const endpointsController: Controller = {
  name: 'endpoints',
  reconcile(state) {
    const podsByNamespace = new Map<string, SimObject[]>();
    for (const service of state.list('Service')) {
      const selector = ((service.spec ?? {}) as Dict).selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0) continue;
      const namespace = service.metadata.namespace ?? 'default';
      let inNamespace = podsByNamespace.get(namespace);
      if (!inNamespace) {
        inNamespace = state.list('Pod', namespace);
        podsByNamespace.set(namespace, inNamespace);
      }
      const pods = inNamespace.filter((pod) => matchesMap(pod.metadata.labels, selector) && !isDeleting(pod));
      syncEndpoints(state, service, pods);
    }
  },
};

function address(pod: SimObject): Dict {
  const out: Dict = {
    ip: (pod.status as Dict).podIP,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  const nodeName = (pod.spec as Dict | undefined)?.nodeName;
  if (nodeName) out.nodeName = nodeName;
  return out;
}

function ports(service: SimObject, pod: SimObject | undefined): Dict[] {
  const servicePorts = (((service.spec ?? {}) as Dict).ports as Dict[] | undefined) ?? [];
  const containerPorts = ((((pod?.spec ?? {}) as Dict).containers as Dict[] | undefined) ?? []).flatMap(
    (c) => (c.ports as Dict[] | undefined) ?? [],
  );
  return servicePorts.map((port) => {
    const target = port.targetPort ?? port.port;
    const resolved = typeof target === 'string' ? containerPorts.find((p) => p.name === target)?.containerPort : target;
    const out: Dict = { port: resolved ?? port.port, protocol: port.protocol ?? 'TCP' };
    if (port.name) out.name = port.name;
    return out;
  });
}

function syncEndpoints(state: ClusterState, service: SimObject, pods: SimObject[]): void {
  const withIP = pods
    .filter((pod) => (pod.status as Dict | undefined)?.podIP)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const ready = withIP.filter(isPodReady).map(address);
  const notReady = withIP.filter((pod) => !isPodReady(pod)).map(address);
  const subset: Dict = { ports: ports(service, withIP[0]) };
  if (ready.length > 0) subset.addresses = ready;
  if (notReady.length > 0) subset.notReadyAddresses = notReady;
  const subsets = withIP.length > 0 ? [subset] : undefined;
  const { name, namespace } = service.metadata;
  const existing = state.get('Endpoints', namespace, name);
  const labels = service.metadata.labels ? { ...service.metadata.labels } : undefined;
  if (!existing) {
    const endpoints: SimObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    if (labels) endpoints.metadata.labels = labels;
    if (subsets) endpoints.subsets = subsets;
    state.create(endpoints);
    return;
  }
  if (deepEqual(subsets, existing.subsets)) return;
  const next = { ...existing, subsets };
  if (!subsets) delete next.subsets;
  state.update(next);
}
