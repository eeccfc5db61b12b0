import type { ClusterState } from './cluster-state.js';

/**
 * What the API server itself creates when it starts, before any controller runs: the system namespaces
 * and, in `default`, the `kubernetes` Service (no selector, so no controller manages its Endpoints)
 * with the Endpoints naming the API server.
 */

/** The namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The first address of the service range, which the API server reserves for itself. */
const API_SERVICE_IP = '10.96.0.1';
/** Where the API server listens as the cluster sees it (a kind control-plane node's address). */
const API_ENDPOINT = { ip: '172.18.0.2', port: 6443 };

export function bootstrapCluster(state: ClusterState): void {
  for (const name of SYSTEM_NAMESPACES) state.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  state.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: API_SERVICE_IP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: API_ENDPOINT.port }],
      sessionAffinity: 'None',
    },
  });
  state.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    // The endpointslice mirroring controller leaves it alone: the API server keeps its own slice.
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      { addresses: [{ ip: API_ENDPOINT.ip }], ports: [{ name: 'https', port: API_ENDPOINT.port, protocol: 'TCP' }] },
    ],
  });
}
