/**
 * Traffic: each Service's request rate is spread evenly over its ready endpoints (the pods listed
 * under `addresses` in its Endpoints, as kube-proxy routes), and every pod counts what it served on
 * the simulated clock, answering with its traffic profile. A pod that a NetworkPolicy isolates from
 * the Service's clients takes none of it: kube-proxy still sends it its share, which never arrives.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { containerUsage, LOAD_REPLICAS_ANNOTATION, replicaCounts } from '../controllers/metrics.js';
import { containersOf } from '../controllers/resources.js';
import { controllerOf, type Dict, parseQuantity } from '../controllers/util.js';
import type { TrafficMeter } from './meter.js';
import { admitsServiceTraffic } from './network-policy.js';
import { requestRate, type TrafficRates, trafficProfile } from './profile.js';

/** A pass that comes after a long pause (a suspended process) counts at most this much simulated time. */
const MAX_STEP_MS = 60_000;

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
      const policies = state.list('NetworkPolicy');
      for (const service of state.list('Service')) {
        const pods = readyPods(state, service);
        if (pods.length === 0) continue;
        const perPod = (requestRate(service, rates) * seconds) / pods.length;
        const port = ((service.spec as Dict | undefined)?.ports as Dict[] | undefined)?.[0];
        for (const pod of pods) {
          if (policies.length > 0 && !admitsServiceTraffic(pod, port, policies)) continue;
          const ref = { namespace: pod.metadata.namespace!, pod: pod.metadata.name, uid: pod.metadata.uid! };
          meter.record(ref, service.metadata.name, perPod, trafficProfile(pod, cpuOfLimit(pod, now, load)));
        }
      }
      meter.retain((ref) => state.get('Pod', ref.namespace, ref.pod)?.metadata.uid === ref.uid);
    },
  };
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

/** The first container's CPU use as a share of its CPU limit; undefined without a limit. */
function cpuOfLimit(pod: SimObject, now: number, load: () => Map<string, number>): number | undefined {
  const container = containersOf(pod)[0];
  const limit = parseQuantity(((container?.resources ?? {}) as { limits?: Dict }).limits?.cpu);
  if (!container || !(limit > 0)) return undefined;
  const owner = controllerOf(pod)?.uid ?? '';
  const replicas = pod.metadata.annotations?.[LOAD_REPLICAS_ANNOTATION] ? (load().get(owner) ?? 1) : 1;
  return containerUsage(pod, container, 0, now, replicas).cpu / limit;
}
