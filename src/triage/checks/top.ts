import type { Pod, PodMetrics } from '../k8s.js';
import { describeRef, refKey } from '../owners.js';
import { cpuMillis, memoryMi, parseQuantity } from '../quantity.js';
import { allPods } from '../snapshot.js';
import type { ObjectRef } from '../types.js';
import { type Check, type CheckContext, type DraftFinding, draft } from './check.js';

/** Usage at or above this share of the limit (or of a node's allocatable) is "near the limit". */
export const NEAR_LIMIT = 0.9;

interface Hot {
  workload: ObjectRef;
  pods: Pod[];
  lines: Set<string>;
  uids: string[];
}

/** Pods near their CPU or memory limits and nodes near their allocatable, from the metrics API. */
export const topCheck: Check = {
  name: 'top',
  // Autoscalers only shape the suggestion (an HPA owns the replica count).
  needs: ['podMetrics', 'nodeMetrics', 'pods', 'nodes', 'autoscalers'],
  requires: ['podMetrics'],
  run(context) {
    const metrics = new Map(context.snapshot.podMetrics.map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m]));
    const cpu = new Map<string, Hot>();
    const memory = new Map<string, Hot>();
    for (const pod of allPods(context.snapshot)) {
      const usage = metrics.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
      if (!usage || pod.status?.phase !== 'Running') continue;
      checkPod(pod, usage, context, cpu, memory);
    }
    const findings: DraftFinding[] = [
      ...[...cpu.values()].map((hot) => toFinding(hot, 'HighCPU', 'near their CPU limit (throttling)', context)),
      ...[...memory.values()].map((hot) => toFinding(hot, 'HighMemory', 'near their memory limit (OOM risk)', context)),
      ...nodeFindings(context),
    ];
    return { findings };
  },
};

function checkPod(
  pod: Pod,
  usage: PodMetrics,
  context: CheckContext,
  cpu: Map<string, Hot>,
  memory: Map<string, Hot>,
): void {
  for (const container of pod.spec?.containers ?? []) {
    const used = usage.containers?.find((c) => c.name === container.name)?.usage;
    const limits = container.resources?.limits;
    if (!used || !limits) continue;
    const cpuUsed = cpuMillis(used.cpu);
    const cpuLimit = cpuMillis(limits.cpu);
    if (cpuUsed !== undefined && cpuLimit && cpuUsed >= cpuLimit * NEAR_LIMIT) {
      add(
        cpu,
        pod,
        context,
        `${pod.metadata.name}/${container.name}: CPU ${cpuUsed}m of ${cpuLimit}m limit (${Math.round((cpuUsed / cpuLimit) * 100)}%)`,
      );
    }
    const memUsed = parseQuantity(used.memory);
    const memLimit = parseQuantity(limits.memory);
    if (memUsed !== undefined && memLimit && memUsed >= memLimit * NEAR_LIMIT) {
      add(
        memory,
        pod,
        context,
        `${pod.metadata.name}/${container.name}: memory ${memoryMi(memUsed)}Mi of ${memoryMi(memLimit)}Mi limit (${Math.round((memUsed / memLimit) * 100)}%)`,
      );
    }
  }
}

function add(into: Map<string, Hot>, pod: Pod, context: CheckContext, line: string): void {
  const workload = context.owners.workloadOf(pod).ref;
  const key = refKey(workload);
  const hot = into.get(key) ?? { workload, pods: [], lines: new Set<string>(), uids: [] };
  if (!hot.pods.includes(pod)) {
    hot.pods.push(pod);
    hot.uids.push(pod.metadata.uid ?? '');
  }
  if (hot.lines.size < 5) hot.lines.add(line);
  into.set(key, hot);
}

function toFinding(hot: Hot, reason: string, words: string, context: CheckContext): DraftFinding {
  const total = Math.max(context.owners.podCount(hot.workload), hot.pods.length);
  return draft({
    check: 'top',
    severity: 'warning',
    reason,
    title:
      hot.workload.kind === 'Pod'
        ? `pod ${hot.workload.namespace}/${hot.workload.name} ${words}`
        : `${hot.pods.length}/${total} pods of ${describeRef(hot.workload)} ${words}`,
    workload: hot.workload,
    objects: hot.pods
      .slice(0, 10)
      .map((pod) => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name })),
    count: hot.pods.length,
    evidence: [...hot.lines],
    uids: hot.uids.filter(Boolean),
  });
}

function nodeFindings(context: CheckContext): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const metrics of context.snapshot.nodeMetrics) {
    const node = context.snapshot.nodes.find((n) => n.metadata.name === metrics.metadata.name);
    const allocatable = node?.status?.allocatable;
    if (!node || !allocatable) continue;
    const ref: ObjectRef = { kind: 'Node', name: node.metadata.name };
    const cpuUsed = cpuMillis(metrics.usage?.cpu) ?? 0;
    const cpuAlloc = cpuMillis(allocatable.cpu) ?? 0;
    const memUsed = parseQuantity(metrics.usage?.memory) ?? 0;
    const memAlloc = parseQuantity(allocatable.memory) ?? 0;
    // kubectl top nodes truncates the percentage.
    const cpuPct = cpuAlloc ? Math.trunc((cpuUsed / cpuAlloc) * 100) : 0;
    const memPct = memAlloc ? Math.trunc((memUsed / memAlloc) * 100) : 0;
    for (const [pct, reason, words, line] of [
      [cpuPct, 'NodeCPUHigh', 'CPU', `CPU ${cpuUsed}m of ${cpuAlloc}m allocatable (${cpuPct}%)`],
      [
        memPct,
        'NodeMemoryHigh',
        'memory',
        `memory ${memoryMi(memUsed)}Mi of ${memoryMi(memAlloc)}Mi allocatable (${memPct}%)`,
      ],
    ] as const) {
      if (pct < NEAR_LIMIT * 100) continue;
      findings.push(
        draft({
          check: 'top',
          severity: 'warning',
          reason,
          title: `node ${ref.name} ${words} at ${pct}%`,
          workload: ref,
          objects: [ref],
          evidence: [line],
          uids: [node.metadata.uid ?? ''].filter(Boolean),
        }),
      );
    }
  }
  return findings;
}
