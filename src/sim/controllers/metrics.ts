/**
 * metrics-server: keeps one `PodMetrics` per running pod and one `NodeMetrics` per Ready node
 * (apiVersion metrics.k8s.io/v1beta1), refreshed every scrape interval of sim time. Usage comes
 * from the pod template annotations `sim.inc.dev/cpu` / `sim.inc.dev/memory` (first, or the
 * behaviour's, container) or else a steady share of the container's requests. CPU is reported
 * in nanocores ("123456789n") and memory in Ki, as metrics-server does.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { nodeLostSince } from './pod.js';
import { containersOf } from './resources.js';
import {
  CPU_ANNOTATION,
  controllerOf,
  type Dict,
  fnv32a,
  iso,
  MEMORY_ANNOTATION,
  ownerReference,
  parseQuantity,
  scratch,
} from './util.js';

export const SCRAPE_MS = 30_000;
const WINDOW = '30s';
const scrapes = new WeakMap<ClusterState, ScrapeMemory>();

/** A few percent of deterministic wobble, so repeated scrapes differ as real ones do. */
function wobble(seed: string, at: number): number {
  return 0.95 + ((fnv32a(`${seed}/${Math.floor(at / SCRAPE_MS)}`) % 1000) / 1000) * 0.1;
}

export const LOAD_REPLICAS_ANNOTATION = 'sim.inc.dev/load-replicas';

/**
 * Usage of one container, as a scrape reads it: its demand (containerDemand) with a few percent of
 * sampling noise.
 */
export function containerUsage(
  pod: SimObject,
  container: Dict,
  index: number,
  at: number,
  replicas = 1,
): { cpu: number; memory: number } {
  const seed = `${pod.metadata.uid}/${container.name}`;
  const demand = containerDemand(pod, container, index, replicas);
  return {
    cpu: demand.cpu * wobble(seed, at),
    memory: demand.pinnedMemory ? demand.memory : demand.memory * wobble(`${seed}/m`, at),
  };
}

/**
 * What one container asks for, without the noise of a sample: what its latency follows. With
 * `sim.inc.dev/load-replicas: N`, the annotated CPU is what each pod uses when N pods share the load:
 * more running replicas each use proportionally less. An annotated memory is exact.
 */
export function containerDemand(
  pod: SimObject,
  container: Dict,
  index: number,
  replicas = 1,
): { cpu: number; memory: number; pinnedMemory: boolean } {
  const annotations = pod.metadata.annotations ?? {};
  const primary = annotations['sim.inc.dev/behavior-container']
    ? container.name === annotations['sim.inc.dev/behavior-container']
    : index === 0;
  const requests = ((container.resources ?? {}) as { requests?: Dict }).requests ?? {};
  const cpu =
    primary && annotations[CPU_ANNOTATION]
      ? parseQuantity(annotations[CPU_ANNOTATION]) * loadShare(annotations, replicas)
      : Math.max(0.001, parseQuantity(requests.cpu) * 0.3);
  const pinnedMemory = Boolean(primary && annotations[MEMORY_ANNOTATION]);
  const memory = pinnedMemory
    ? parseQuantity(annotations[MEMORY_ANNOTATION])
    : Math.max(8 * 2 ** 20, parseQuantity(requests.memory) * 0.6);
  return { cpu, memory, pinnedMemory };
}

function loadShare(annotations: Record<string, string>, replicas: number): number {
  const load = Number(annotations[LOAD_REPLICAS_ANNOTATION]);
  if (!Number.isFinite(load) || load <= 0 || replicas <= 0) return 1;
  return Math.min(1, load / replicas);
}

const nanocores = (cores: number) => `${Math.round(cores * 1e9)}n`;
const kibibytes = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

function runningContainers(pod: SimObject): Set<string> {
  const statuses = (((pod.status ?? {}) as Dict).containerStatuses as Dict[] | undefined) ?? [];
  return new Set(statuses.filter((s) => (s.state as Dict | undefined)?.running).map((s) => String(s.name)));
}

/** Spreads scrapes over the interval (as metrics-server's do), so no pass rewrites every pod at once. */
function scrapeOffset(uid: string | undefined): number {
  return fnv32a(uid ?? '') % SCRAPE_MS;
}

function isDue(existing: SimObject | undefined, now: number): boolean {
  return !existing || now - Date.parse(String(existing.timestamp)) >= SCRAPE_MS;
}

interface ScrapeMemory {
  at: number;
  pods: number;
  /** When each pod's metrics are due again, by pod uid. */
  due: Map<string, number>;
  /** Each pod's last scraped usage, summed per node on a full scrape. */
  usage: Map<string, { cpu: number; memory: number }>;
  /** How many pods shared the load when each pod was last scraped, by pod uid. */
  share: Map<string, number>;
}

interface Usage {
  cpu: number;
  memory: number;
}

/** What one pass of the controller reads once and gathers pod by pod. */
interface ScrapePass {
  now: number;
  /** Every pod is looked at (once per interval, or when pods came or went); else only those due. */
  full: boolean;
  nodes: Map<string, SimObject>;
  replicas: Map<string, number>;
  /** Usage of the pods measured, summed per node. */
  nodeUsage: Map<string, Usage>;
  /** `namespace/name` of every pod whose PodMetrics stay. */
  wanted: Set<string>;
}

const newScrapeMemory = (): ScrapeMemory => ({
  at: Number.NEGATIVE_INFINITY,
  pods: -1,
  due: new Map(),
  usage: new Map(),
  share: new Map(),
});

export const metricsController: Controller = {
  name: 'metrics',
  reconcile(state) {
    const now = state.now().getTime();
    const memo = scratch(scrapes, state, newScrapeMemory);
    const pods = state.list('Pod');
    const pass: ScrapePass = {
      now,
      full: now - memo.at >= SCRAPE_MS || pods.length !== memo.pods,
      nodes: new Map(state.list('Node').map((node) => [node.metadata.name, node])),
      replicas: replicaCounts(pods),
      nodeUsage: new Map(),
      wanted: new Set(),
    };
    for (const pod of pods) scrapePod(state, memo, pass, pod);
    if (!pass.full) return;
    memo.at = now;
    memo.pods = pods.length;
    deleteStalePodMetrics(state, pass.wanted);
    forgetGonePods(memo, pods);
    for (const node of pass.nodes.values()) syncNodeMetrics(state, node, pass.nodeUsage.get(node.metadata.name), now);
  },
};

/**
 * One pod's turn in a pass: measured when due (or its load share changed), its usage added to its
 * node's, and its PodMetrics rewritten once per scrape interval.
 */
function scrapePod(state: ClusterState, memo: ScrapeMemory, pass: ScrapePass, pod: SimObject): void {
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const owner = controllerOf(pod)?.uid ?? '';
  // A pod whose load share changed (its workload scaled) is measured again at once: the load
  // balancer spreads traffic immediately, and a scaling fix should show in the next look.
  const shareChanged = pass.replicas.has(owner) && memo.share.get(uid) !== pass.replicas.get(owner);
  const notDue = !shareChanged && pass.now < (memo.due.get(uid) ?? Number.NEGATIVE_INFINITY);
  if (!pass.full && notDue) return;
  const node = runningOn(pod, pass.nodes);
  if (!node) return;
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const cached = memo.usage.get(uid);
  if (notDue && cached) {
    pass.wanted.add(key);
    addToNode(pass.nodeUsage, node.metadata.name, cached);
    return;
  }
  memo.share.set(uid, pass.replicas.get(owner) ?? 1);
  const containers = measureContainers(pod, pass.now, pass.replicas.get(owner) ?? 1);
  if (containers.length === 0) return;
  pass.wanted.add(key);
  const podUsage = containers.reduce(
    (sum, { usage }) => ({ cpu: sum.cpu + usage.cpu, memory: sum.memory + usage.memory }),
    { cpu: 0, memory: 0 },
  );
  memo.usage.set(uid, podUsage);
  addToNode(pass.nodeUsage, node.metadata.name, podUsage);
  writePodMetrics(state, memo, pod, containers, pass.now, shareChanged);
}

/** The node a running pod runs on, unless that node is lost. */
function runningOn(pod: SimObject, nodes: Map<string, SimObject>): SimObject | undefined {
  const nodeName = (pod.spec as Dict | undefined)?.nodeName as string | undefined;
  const node = nodeName ? nodes.get(nodeName) : undefined;
  if (!node || nodeLostSince(node) !== undefined || (pod.status as Dict | undefined)?.phase !== 'Running') return;
  return node;
}

type MeasuredContainer = { container: Dict; usage: Usage };

/** Usage of each of the pod's running containers. */
function measureContainers(pod: SimObject, now: number, replicas: number): MeasuredContainer[] {
  const running = runningContainers(pod);
  return containersOf(pod)
    .map((container, index) => ({ container, usage: containerUsage(pod, container, index, now, replicas) }))
    .filter(({ container }) => running.has(String(container.name)));
}

function addToNode(nodeUsage: Map<string, Usage>, nodeName: string, usage: Usage): void {
  const total = nodeUsage.get(nodeName) ?? { cpu: 0, memory: 0 };
  total.cpu += usage.cpu;
  total.memory += usage.memory;
  nodeUsage.set(nodeName, total);
}

/** Writes the pod's PodMetrics when a scrape interval has passed since the last (or its share changed). */
function writePodMetrics(
  state: ClusterState,
  memo: ScrapeMemory,
  pod: SimObject,
  containers: MeasuredContainer[],
  now: number,
  shareChanged: boolean,
): void {
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const existing = state.get('PodMetrics', pod.metadata.namespace, pod.metadata.name);
  if (!shareChanged && !isDue(existing, now)) {
    memo.due.set(uid, Date.parse(String(existing?.timestamp)) + SCRAPE_MS);
    return;
  }
  const started = Date.parse(String((pod.status as Dict).startTime)) || now;
  const timestamp = existing ? now : Math.max(started, now - scrapeOffset(pod.metadata.uid));
  memo.due.set(uid, timestamp + SCRAPE_MS);
  upsert(state, {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      labels: { ...(pod.metadata.labels ?? {}) },
      ownerReferences: [{ ...ownerReference(pod), controller: false, blockOwnerDeletion: false }],
    },
    timestamp: iso(timestamp),
    window: WINDOW,
    containers: containers.map(({ container, usage }) => ({
      name: container.name,
      usage: { cpu: nanocores(usage.cpu), memory: kibibytes(usage.memory) },
    })),
  });
}

/** PodMetrics of pods no longer running (or gone) disappear, as metrics-server drops them. */
function deleteStalePodMetrics(state: ClusterState, wanted: Set<string>): void {
  for (const stale of state.list('PodMetrics')) {
    if (!wanted.has(`${stale.metadata.namespace}/${stale.metadata.name}`)) {
      state.delete('PodMetrics', stale.metadata.namespace, stale.metadata.name);
    }
  }
}

/** Forgets what was remembered of deleted pods, once they are many. */
function forgetGonePods(memo: ScrapeMemory, pods: SimObject[]): void {
  if (memo.due.size <= pods.length * 2) return;
  const live = new Set(pods.map((pod) => pod.metadata.uid ?? pod.metadata.name));
  for (const uid of memo.due.keys()) {
    if (!live.has(uid)) {
      memo.due.delete(uid);
      memo.usage.delete(uid);
      memo.share.delete(uid);
    }
  }
}

/** Running pods per controller, only for owners whose pods share a load (`sim.inc.dev/load-replicas`). */
export function replicaCounts(pods: SimObject[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    if (!pod.metadata.annotations?.[LOAD_REPLICAS_ANNOTATION]) continue;
    const owner = controllerOf(pod)?.uid;
    if (owner && (pod.status as Dict | undefined)?.phase === 'Running') counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

function syncNodeMetrics(
  state: ClusterState,
  node: SimObject,
  usage: { cpu: number; memory: number } | undefined,
  now: number,
) {
  if (nodeLostSince(node) !== undefined) {
    if (state.get('NodeMetrics', undefined, node.metadata.name))
      state.delete('NodeMetrics', undefined, node.metadata.name);
    return;
  }
  // The system daemons (kubelet, containerd, the OS) use a share of every node.
  const system = { cpu: 0.12 * wobble(node.metadata.name, now), memory: 1.1 * 2 ** 30 };
  upsert(state, {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: {
      name: node.metadata.name,
      labels: { ...(node.metadata.labels ?? {}) },
      ownerReferences: [{ ...ownerReference(node), controller: false, blockOwnerDeletion: false }],
    },
    timestamp: iso(now),
    window: WINDOW,
    usage: { cpu: nanocores((usage?.cpu ?? 0) + system.cpu), memory: kibibytes((usage?.memory ?? 0) + system.memory) },
  });
}

function upsert(state: ClusterState, object: SimObject): void {
  const existing = state.get(object.kind, object.metadata.namespace, object.metadata.name);
  if (!existing) {
    state.create(object);
    return;
  }
  state.update({ ...object, metadata: { ...existing.metadata, labels: object.metadata.labels } });
}
