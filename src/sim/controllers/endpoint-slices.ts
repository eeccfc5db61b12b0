/**
 * The EndpointSlice controllers, derived from the Endpoints the simulator keeps: one slice per
 * Endpoints subset (a placeholder with no endpoints when there is none), named `<service>-<suffix>`,
 * labelled with `kubernetes.io/service-name` and owned by the Service. The slices of a Service with a
 * selector are the endpointslice controller's; those of hand-written Endpoints are the mirroring
 * controller's, which skips Endpoints labelled `endpointslice.kubernetes.io/skip-mirror`. The API
 * server keeps its own slice for the `kubernetes` Service, named after it.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { type Dict, deepEqual, isDeleting, ownerReference } from './util.js';

const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';

export const endpointSliceController: Controller = {
  name: 'endpointslice',
  reconcile(state) {
    const slicesByService = new Map<string, SimObject[]>();
    for (const slice of state.list('EndpointSlice')) {
      const key = `${slice.metadata.namespace}/${slice.metadata.labels?.[SERVICE_NAME]}`;
      slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
    }
    for (const endpoints of state.list('Endpoints')) {
      const { namespace, name } = endpoints.metadata;
      const key = `${namespace}/${name}`;
      const slices = slicesByService.get(key) ?? [];
      slicesByService.delete(key);
      const service = state.get('Service', namespace, name);
      if (!service || isDeleting(service)) continue;
      syncSlices(state, service, endpoints, slices);
    }
    // Slices whose Endpoints are gone (the Service itself takes its slices with it when deleted).
    for (const slices of slicesByService.values()) {
      for (const slice of slices) {
        if (slice.metadata.labels?.[MANAGED_BY])
          state.delete('EndpointSlice', slice.metadata.namespace, slice.metadata.name);
      }
    }
  },
};

interface DesiredSlice {
  labels: Record<string, string>;
  body: Dict;
}

/** The desired slices of one Endpoints object, without names; none when nobody mirrors it. */
function desiredSlices(service: SimObject, endpoints: SimObject): DesiredSlice[] {
  const apiServerOwned = service.metadata.namespace === 'default' && service.metadata.name === 'kubernetes';
  const hasSelector = Object.keys(((service.spec ?? {}) as Dict).selector ?? {}).length > 0;
  if (!apiServerOwned && !hasSelector && endpoints.metadata.labels?.[SKIP_MIRROR] === 'true') return [];
  const labels: Record<string, string> = {
    ...(apiServerOwned ? {} : service.metadata.labels),
    [SERVICE_NAME]: service.metadata.name,
  };
  if (!apiServerOwned) labels[MANAGED_BY] = hasSelector ? SLICE_CONTROLLER : MIRRORING_CONTROLLER;
  const subsets = (endpoints.subsets as Dict[] | undefined) ?? [];
  if (subsets.length === 0) return [{ labels, body: { addressType: 'IPv4', endpoints: null, ports: null } }];
  return subsets.map((subset) => ({ labels, body: sliceBody(subset) }));
}

function sliceBody(subset: Dict): Dict {
  return {
    addressType: firstIp(subset).includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [
      ...((subset.addresses as Dict[] | undefined) ?? []).map((a) => endpointOf(a, true)),
      ...((subset.notReadyAddresses as Dict[] | undefined) ?? []).map((a) => endpointOf(a, false)),
    ],
    ports: ((subset.ports as Dict[] | undefined) ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

function firstIp(subset: Dict): string {
  const first = ((subset.addresses ?? subset.notReadyAddresses) as Dict[] | undefined)?.[0];
  return String(first?.ip ?? '');
}

function endpointOf(address: Dict, ready: boolean): Dict {
  const out: Dict = { addresses: [address.ip], conditions: { ready, serving: ready, terminating: false } };
  if (address.nodeName) out.nodeName = address.nodeName;
  if (address.targetRef) out.targetRef = address.targetRef;
  return out;
}

function syncSlices(state: ClusterState, service: SimObject, endpoints: SimObject, existing: SimObject[]): void {
  const desired = desiredSlices(service, endpoints);
  const slices = [...existing].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const { namespace, name } = service.metadata;
  const apiServerOwned = namespace === 'default' && name === 'kubernetes';
  desired.forEach(({ labels, body }, i) => {
    const current = slices[i];
    if (!current) {
      const metadata = apiServerOwned
        ? { name, namespace, labels }
        : { name: '', generateName: `${name}-`, namespace, labels, ownerReferences: [ownerReference(service)] };
      state.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, ...body });
      return;
    }
    const next: SimObject = { ...current, ...body, metadata: { ...current.metadata, labels } };
    if (!deepEqual(next, current)) state.update(next);
  });
  for (const extra of slices.slice(desired.length)) state.delete('EndpointSlice', namespace, extra.metadata.name);
}
