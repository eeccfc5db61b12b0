/**
 * Traffic: each Service's request rate comes from its clients (service-clients.ts) and is spread
 * evenly over its ready endpoints (the pods listed under `addresses` in its Endpoints, as kube-proxy
 * routes), and every pod counts what it served on the simulated clock, answering with its traffic
 * profile. A request that a NetworkPolicy drops (the client's egress, the pod's ingress) never
 * arrives: kube-proxy still sends the pod its share. A client pod that cannot reach the Service
 * (dropped, or no ready endpoint) fails that share of its own requests with a 5xx, as a service
 * whose dependency is down does.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { containerDemand, LOAD_REPLICAS_ANNOTATION, replicaCounts } from '../controllers/metrics.js';
import { containersOf } from '../controllers/resources.js';
import { controllerOf, type Dict, parseQuantity } from '../controllers/util.js';
import type { TrafficMeter } from './meter.js';
import { allowsConnection, type NetworkPeer } from './network-policy.js';
import { requestRate, type TrafficRates, trafficProfile } from './profile.js';
import { clientsOf, INGRESS_CLIENT } from './service-clients.js';

/** A pass that comes after a long pause (a suspended process) counts at most this much simulated time. */
const MAX_STEP_MS = 60_000;

interface Route {
  service: SimObject;
  pods: SimObject[];
  /** Per endpoint pod, the share of the Service's requests that reach it (0–1 of its even share). */
  admitted: number[];
  /** The clients are the ingress controller, which counts every request, dropped ones as 504. */
  viaIngress: boolean;
}

export function trafficController(meter: TrafficMeter, rates: TrafficRates = {}): Controller {
  return {
    name: 'traffic',
    reconcile(state) {
      const now = state.now().getTime();
      const from = meter.countedUntil;
      meter.countedUntil = Math.max(now, from ?? now);
      if (from === undefined || now <= from) return;
      const seconds = Math.min(now - from, MAX_STEP_MS) / 1000;
      const load = lazyLoadShares(state);
      const { routes, failing } = routeTraffic(state);
      for (const { service, pods, admitted, viaIngress } of routes) {
        const perPod = (requestRate(service, rates) * seconds) / pods.length;
        const { namespace = '', name } = service.metadata;
        pods.forEach((pod, index) => {
          const share = admitted[index] ?? 0;
          if (viaIngress) meter.ingress.record(namespace, name, '504', perPod * (1 - share));
          if (share <= 0) return;
          const ref = { namespace: pod.metadata.namespace!, pod: pod.metadata.name, uid: pod.metadata.uid! };
          const profile = trafficProfile(pod, cpuOfLimit(pod, load));
          const reached = 1 - (failing.get(pod.metadata.uid!) ?? 0);
          const errorRatio = 1 - (1 - profile.errorRatio) * reached;
          meter.record(ref, name, perPod * share, { ...profile, errorRatio });
          if (!viaIngress) return;
          meter.ingress.record(namespace, name, '500', perPod * share * errorRatio);
          meter.ingress.record(namespace, name, '200', perPod * share * (1 - errorRatio));
        });
      }
      meter.retain((ref) => state.get('Pod', ref.namespace, ref.pod)?.metadata.uid === ref.uid);
      meter.ingress.retain((namespace, name) => state.get('Service', namespace, name) !== undefined);
    },
  };
}

/**
 * Where each Service's requests go, and, per client pod (by uid), the share of its calls that
 * fail. Without any NetworkPolicy every request arrives and only calls to a Service without
 * endpoints fail.
 */
function routeTraffic(state: ClusterState): { routes: Route[]; failing: Map<string, number> } {
  const anyPolicy = state.list('NetworkPolicy').length > 0;
  const routes: Route[] = [];
  const reaching = new Map<string, number>();
  for (const service of state.list('Service')) {
    const pods = readyPods(state, service);
    const clients = clientsOf(state, service);
    const port = ((service.spec as Dict | undefined)?.ports as Dict[] | undefined)?.[0];
    const targetPort = port?.targetPort ?? port?.port;
    const allowed = (client: NetworkPeer, pod: SimObject) =>
      !anyPolicy || allowsConnection(client, pod, targetPort, state);
    for (const client of clients) {
      if (!('pod' in client) || !client.pod.metadata.uid) continue;
      const reached = pods.length ? pods.filter((pod) => allowed(client, pod)).length / pods.length : 0;
      const uid = client.pod.metadata.uid;
      reaching.set(uid, (reaching.get(uid) ?? 1) * reached);
    }
    if (pods.length === 0 || clients.length === 0) continue;
    routes.push({
      service,
      pods,
      admitted: pods.map((pod) => clients.filter((client) => allowed(client, pod)).length / clients.length),
      viaIngress: clients.length === 1 && 'pod' in clients[0]! && clients[0].pod === INGRESS_CLIENT,
    });
  }
  const failing = new Map([...reaching].map(([uid, reached]): [string, number] => [uid, 1 - reached]));
  return { routes, failing };
}

/** The pods behind the Service's ready endpoint addresses. */
function readyPods(state: ClusterState, service: SimObject): SimObject[] {
  const { namespace, name } = service.metadata;
  const endpoints = state.get('Endpoints', namespace, name);
  const subsets = (endpoints?.subsets as Dict[] | undefined) ?? [];
  const pods: SimObject[] = [];
  for (const subset of subsets) {
    for (const address of (subset.addresses as Dict[] | undefined) ?? []) {
      const ref = address.targetRef as { kind?: string; name?: string } | undefined;
      if (ref?.kind !== 'Pod' || !ref.name) continue;
      const pod = state.get('Pod', namespace, ref.name);
      if (pod?.metadata.uid) pods.push(pod);
    }
  }
  return pods;
}

/** Running replicas per owner, counted once per pass and only if a pod shares a load. */
function lazyLoadShares(state: ClusterState): () => Map<string, number> {
  let counts: Map<string, number> | undefined;
  return () => {
    counts ??= replicaCounts(state.list('Pod'));
    return counts;
  };
}

/**
 * The first container's CPU demand as a share of its CPU limit; undefined without a limit. The demand,
 * not a noisy sample of it: a pod's latency follows its load, not the jitter of a metrics scrape.
 */
function cpuOfLimit(pod: SimObject, load: () => Map<string, number>): number | undefined {
  const container = containersOf(pod)[0];
  const limit = parseQuantity(((container?.resources ?? {}) as { limits?: Dict }).limits?.cpu);
  if (!container || !(limit > 0)) return undefined;
  const owner = controllerOf(pod)?.uid ?? '';
  const replicas = pod.metadata.annotations?.[LOAD_REPLICAS_ANNOTATION] ? (load().get(owner) ?? 1) : 1;
  return containerDemand(pod, container, 0, replicas).cpu / limit;
}
