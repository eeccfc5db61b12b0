/**
 * Nodes: the kubelet's status (capacity, allocatable, conditions, node info) and the node
 * lifecycle controller. `sim.inc.dev/node-behavior` on a node picks its health:
 * `not-ready` (the kubelet stopped posting: every condition Unknown, the unreachable taints,
 * a NodeNotReady event) or `memory-pressure` (MemoryPressure=True, its NoSchedule taint and a
 * NodeHasInsufficientMemory event). Removing the annotation brings the node back. A cordoned node
 * (`spec.unschedulable`) carries the unschedulable NoSchedule taint until uncordoned.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { type Dict, deepEqual, fnv32a, iso, NODE_BEHAVIOR_ANNOTATION } from './util.js';

const HEARTBEAT_MS = 60_000;
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
/** Added while `spec.unschedulable` is set (kubectl cordon), as the node lifecycle controller does. */
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

interface ConditionSpec {
  type: string;
  status: string;
  reason: string;
  message: string;
}

function healthyConditions(memoryPressure: boolean): ConditionSpec[] {
  return [
    memoryPressure
      ? {
          type: 'MemoryPressure',
          status: 'True',
          reason: 'KubeletHasInsufficientMemory',
          message: 'kubelet has insufficient memory available',
        }
      : {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

function unknownConditions(): ConditionSpec[] {
  return ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
    type,
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
  }));
}

/** Defaults a scenario's node can leave out: 4 CPUs, 16 GiB, 110 pods, an address, node info. */
function defaultStatus(node: SimObject, index: number): Dict {
  const status = { ...((node.status ?? {}) as Dict) };
  const capacity = (status.capacity ?? {
    cpu: '4',
    memory: '16374624Ki',
    pods: '110',
    'ephemeral-storage': '101430960Ki',
  }) as Dict;
  status.capacity = capacity;
  status.allocatable ??= {
    cpu: capacity.cpu === '4' ? '3920m' : capacity.cpu,
    memory: capacity.memory === '16374624Ki' ? '15223648Ki' : capacity.memory,
    pods: capacity.pods ?? '110',
    'ephemeral-storage': capacity['ephemeral-storage'] ?? '93478772582',
  };
  status.addresses ??= [
    { type: 'InternalIP', address: `10.0.0.${10 + index}` },
    { type: 'Hostname', address: node.metadata.name },
  ];
  status.daemonEndpoints ??= { kubeletEndpoint: { Port: 10250 } };
  status.nodeInfo ??= {
    machineID: (fnv32a(node.metadata.name) >>> 0).toString(16).padStart(32, '0'),
    systemUUID: (fnv32a(`${node.metadata.name}-uuid`) >>> 0).toString(16).padStart(32, '0'),
    bootID: (fnv32a(`${node.metadata.name}-boot`) >>> 0).toString(16).padStart(32, '0'),
    kernelVersion: '6.1.112-124.190.amzn2023.x86_64',
    osImage: 'Amazon Linux 2023.6.20241121',
    containerRuntimeVersion: 'containerd://1.7.23',
    kubeletVersion: 'v1.31.4',
    kubeProxyVersion: 'v1.31.4',
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
  return status;
}

export const nodeController: Controller = {
  name: 'node',
  reconcile(state) {
    const nodes = state.list('Node').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const [index, node] of nodes.entries()) syncNode(state, node, index);
  },
};

function syncNode(state: ClusterState, node: SimObject, index: number): void {
  const behavior = node.metadata.annotations?.[NODE_BEHAVIOR_ANNOTATION] ?? 'healthy';
  const now = state.now().getTime();
  const status = defaultStatus(node, index);
  const previous = new Map(((status.conditions as Dict[] | undefined) ?? []).map((c) => [String(c.type), c]));
  const lost = behavior === 'not-ready';
  const wanted = lost ? unknownConditions() : healthyConditions(behavior === 'memory-pressure');
  const heartbeatDue = [...previous.values()].some(
    (c) => !lost && now - Date.parse(String(c.lastHeartbeatTime)) >= HEARTBEAT_MS,
  );
  const transitions: ConditionSpec[] = [];
  status.conditions = wanted.map((want) => {
    const before = previous.get(want.type);
    const flipped = !before || before.status !== want.status;
    if (flipped && before) transitions.push(want);
    const heartbeat = lost
      ? (before?.lastHeartbeatTime ?? iso(now))
      : heartbeatDue || flipped
        ? iso(now)
        : before!.lastHeartbeatTime;
    return {
      ...want,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: flipped ? iso(now) : before!.lastTransitionTime,
    };
  });
  const spec = { ...((node.spec ?? {}) as Dict) };
  spec.taints = wantedTaints(spec, lost, behavior === 'memory-pressure', iso(now));
  if ((spec.taints as Dict[]).length === 0) delete spec.taints;
  spec.podCIDR ??= `10.244.${index}.0/24`;
  spec.podCIDRs ??= [spec.podCIDR];
  spec.providerID ??= `sim://${node.metadata.name}`;
  if (deepEqual(status, node.status) && deepEqual(spec, node.spec)) return;
  const next = { ...node, spec, status };
  const written = state.update(next);
  const name = node.metadata.name;
  for (const change of transitions) {
    if (change.type === 'Ready') {
      const ready = change.status === 'True';
      recordEvent(
        state,
        written,
        'Normal',
        ready ? 'NodeReady' : 'NodeNotReady',
        `Node ${name} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`,
        ready ? { component: 'kubelet', host: name } : { component: 'node-controller' },
      );
    }
    if (change.type === 'MemoryPressure' && (change.status === 'True' || change.status === 'False')) {
      const reason = change.status === 'True' ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
      recordEvent(state, written, 'Normal', reason, `Node ${name} status is now: ${reason}`, {
        component: 'kubelet',
        host: name,
      });
    }
  }
}

function wantedTaints(spec: Dict, lost: boolean, memoryPressure: boolean, now: string): Dict[] {
  const managed = new Set([UNREACHABLE, MEMORY_PRESSURE, UNSCHEDULABLE_TAINT]);
  const current = (spec.taints as Dict[] | undefined) ?? [];
  const kept = current.filter((t) => !managed.has(String(t.key)));
  const existing = (key: string, effect: string) => current.find((t) => t.key === key && t.effect === effect);
  const taint = (key: string, effect: string) => {
    const found = existing(key, effect);
    if (found) return found;
    return effect === 'NoExecute' ? { key, effect, timeAdded: now } : { key, effect };
  };
  if (lost) kept.push(taint(UNREACHABLE, 'NoSchedule'), taint(UNREACHABLE, 'NoExecute'));
  if (memoryPressure) kept.push(taint(MEMORY_PRESSURE, 'NoSchedule'));
  if (spec.unschedulable === true) kept.push(taint(UNSCHEDULABLE_TAINT, 'NoSchedule'));
  return kept;
}
