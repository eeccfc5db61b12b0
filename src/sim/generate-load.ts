/**
 * A large cluster for benchmarks (`inc sim --pods N`): N pods over many namespaces and
 * deployments, about 5% of them unhealthy in the ways triage must catch (crash loops, OOM kills,
 * image pulls, failing readiness, no room to schedule), each with the ReplicaSet, status, logs and
 * events the controllers would have produced. Healthy pods are written directly in their steady
 * state (without logs), so 5,000 pods take a fraction of a second; the unhealthy ones get their
 * history, logs and events from the kubelet on the next pass.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterState, SimObject } from './cluster-state.js';
import { revisionOf } from './controllers/deployment.js';
import { nodeController } from './controllers/node.js';
import { markPodSynced } from './controllers/pod.js';
import { computePodStatus, containerID, nodeIP, podIP } from './controllers/pod-status.js';
import { podFromTemplate } from './controllers/replicaset.js';
import {
  BEHAVIOR_ANNOTATION,
  computeTemplateHash,
  type Dict,
  iso,
  ownerReference,
  randomSuffix,
} from './controllers/util.js';

export interface GenerateLoadResult {
  namespaces: number;
  deployments: number;
  pods: number;
  unhealthy: number;
  nodes: number;
}

const UNHEALTHY: readonly string[] = ['crashloop', 'oom', 'imagepull', 'not-ready', 'unschedulable'];
const PODS_PER_NODE = 100;
const DAY_MS = 86_400_000;

/** Deterministic small pseudo-random numbers, so a given N always builds the same shape. */
function sequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateLoad(state: ClusterState, count: number): GenerateLoadResult {
  const random = sequence(count);
  const now = state.now().getTime();
  const nodes = ensureNodes(state, Math.max(1, Math.ceil(count / PODS_PER_NODE)));
  const result: GenerateLoadResult = { namespaces: 0, deployments: 0, pods: 0, unhealthy: 0, nodes: nodes.length };
  let namespace = '';
  let left = count;
  for (let d = 0; left > 0; d++) {
    if (d % 12 === 0) {
      namespace = `load-${String(d / 12 + 1).padStart(3, '0')}`;
      if (!state.get('Namespace', undefined, namespace))
        state.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      result.namespaces++;
    }
    const replicas = Math.min(left, 2 + Math.floor(random() * 12));
    const unhealthy = random() < 0.05 ? UNHEALTHY[Math.floor(random() * UNHEALTHY.length)] : undefined;
    const created = now - DAY_MS * (1 + random() * 20);
    createWorkload(state, { namespace, name: `svc-${d}`, replicas, unhealthy, created, nodes, random });
    result.deployments++;
    result.pods += replicas;
    if (unhealthy) result.unhealthy += replicas;
    left -= replicas;
  }
  return result;
}

function ensureNodes(state: ClusterState, wanted: number): SimObject[] {
  const existing = state.list('Node').length;
  for (let i = existing; i < wanted; i++) {
    state.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `load-node-${String(i + 1).padStart(3, '0')}`,
        labels: { 'kubernetes.io/os': 'linux', 'sim.inc.dev/load': 'true' },
      },
      spec: {},
      status: {
        capacity: { cpu: '16', memory: '64Gi', pods: '110' },
        allocatable: { cpu: '15890m', memory: '62Gi', pods: '110' },
      },
    });
  }
  // Nodes get their status (Ready, addresses) now, so pods can be written as running on them.
  nodeController.reconcile(state);
  return state.list('Node');
}

interface WorkloadOptions {
  namespace: string;
  name: string;
  replicas: number;
  unhealthy: string | undefined;
  created: number;
  nodes: SimObject[];
  random: () => number;
}

function createWorkload(state: ClusterState, options: WorkloadOptions): void {
  const { namespace, name, replicas, unhealthy } = options;
  const labels = { app: name };
  const template: Dict = {
    metadata: { labels, ...(unhealthy ? { annotations: { [BEHAVIOR_ANNOTATION]: unhealthy } } : {}) },
    spec: {
      containers: [
        {
          name,
          image: `registry.example.com/${namespace}/${name}:1.${Math.floor(options.random() * 40)}.0`,
          ports: [{ name: 'http', containerPort: 8080 }],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
        },
      ],
    },
  };
  const deployment = state.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      creationTimestamp: iso(options.created),
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  });
  const hash = computeTemplateHash(template);
  const rsTemplate = {
    ...template,
    metadata: { ...(template.metadata as Dict), labels: { ...labels, 'pod-template-hash': hash } },
  };
  const rs = state.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace,
      labels: { ...labels, 'pod-template-hash': hash },
      annotations: {
        'deployment.kubernetes.io/revision': String(revisionOf(deployment) || 1),
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
      },
      ownerReferences: [ownerReference(deployment)],
      creationTimestamp: iso(options.created),
    },
    spec: { replicas, selector: { matchLabels: { ...labels, 'pod-template-hash': hash } }, template: rsTemplate },
  });
  const shared: SharedStatus = {};
  for (let i = 0; i < replicas; i++) createPod(state, rs, rsTemplate, options, shared);
}

/** The status of a workload's first healthy pod, reused for its siblings with their own IPs and ids. */
interface SharedStatus {
  base?: Dict;
}

function healthyStatus(pod: SimObject, node: SimObject, start: number, now: number, shared: SharedStatus): Dict {
  if (!shared.base) {
    shared.base = computePodStatus(pod, node, start, now);
    return shared.base;
  }
  const ip = podIP(pod, node);
  const host = nodeIP(node);
  return {
    ...shared.base,
    hostIP: host,
    hostIPs: [{ ip: host }],
    podIP: ip,
    podIPs: [{ ip }],
    containerStatuses: ((shared.base.containerStatuses as Dict[]) ?? []).map((status) => ({
      ...status,
      containerID: containerID(pod, String(status.name), 0),
    })),
  };
}

function createPod(
  state: ClusterState,
  rs: SimObject,
  template: Dict,
  options: WorkloadOptions,
  shared: SharedStatus,
): void {
  const now = state.now().getTime();
  const pod = podFromTemplate(rs, template, `${rs.metadata.name}-${randomSuffix()}`);
  if (options.unhealthy === 'unschedulable') {
    state.create(pod);
    return;
  }
  const node = options.nodes[Math.floor(options.random() * options.nodes.length)]!;
  // Unhealthy pods started recently (their history is replayed by the kubelet); healthy ones long ago.
  const start = options.unhealthy ? now - 60_000 * (3 + options.random() * 9) : options.created + 60_000;
  pod.metadata.creationTimestamp = iso(start);
  pod.metadata.uid = randomUUID();
  (pod.spec as Dict).nodeName = node.metadata.name;
  pod.status = {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) }],
  };
  if (!options.unhealthy) pod.status = healthyStatus(pod, node, start, now, shared);
  const created = state.create(pod);
  if (options.unhealthy) return;
  // Healthy generated pods get no PodLog (half the writes); their logs are empty until the kubelet resyncs them.
  markPodSynced(state, created, node, now);
}
