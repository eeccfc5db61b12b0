/**
 * Who sends a Service its requests. By default the cluster's ingress controller, standing for the
 * clients outside the cluster: a pod of namespace `ingress-nginx` labelled
 * `app.kubernetes.io/name: ingress-nginx` at 10.244.255.10, so `namespaceSelector: {}` and a
 * namespace or ipBlock naming it admit it, and a policy of that namespace can restrict its egress.
 * The Service's annotation `sim.inc.dev/clients` names them instead: a comma-separated list of
 * addresses outside the cluster (`203.0.113.7`) and workloads (`shop/web`: the running pods of
 * deployment or statefulset web), whose pods then call it and fail their own requests when they
 * cannot reach it.
 */
import { isIP } from 'node:net';
import type { ClusterState, SimObject } from '../cluster-state.js';
import { type Dict, matchesSelector } from '../controllers/util.js';
import type { NetworkPeer } from './network-policy.js';

export const CLIENTS_ANNOTATION = 'sim.inc.dev/clients';

/** The ingress controller's pod, as a Service's default client sees it. */
export const INGRESS_CLIENT: SimObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'ingress-nginx-controller',
    namespace: 'ingress-nginx',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  },
  status: { phase: 'Running', podIP: '10.244.255.10' },
};

/** The Service's clients: the peers its requests come from, each sending an equal share. */
export function clientsOf(state: Pick<ClusterState, 'get' | 'list'>, service: SimObject): NetworkPeer[] {
  const listed = service.metadata.annotations?.[CLIENTS_ANNOTATION];
  if (listed === undefined || listed.trim() === '') return [{ pod: INGRESS_CLIENT }];
  const peers: NetworkPeer[] = [];
  for (const entry of listed.split(',').map((s) => s.trim())) {
    if (isIP(entry)) peers.push({ ip: entry });
    else peers.push(...workloadPods(state, entry).map((pod) => ({ pod })));
  }
  return peers;
}

/** The running pods of `NAMESPACE/NAME`, a deployment or statefulset. */
function workloadPods(state: Pick<ClusterState, 'get' | 'list'>, ref: string): SimObject[] {
  const [namespace, name] = ref.split('/');
  if (!namespace || !name) return [];
  const workload = state.get('Deployment', namespace, name) ?? state.get('StatefulSet', namespace, name);
  const selector = ((workload?.spec ?? {}) as Dict).selector;
  if (!workload || !selector) return [];
  return state
    .list('Pod', namespace)
    .filter(
      (pod) => ((pod.status ?? {}) as Dict).phase === 'Running' && matchesSelector(pod.metadata.labels, selector),
    );
}
