import type { Node } from '../k8s.js';
import { allPods } from '../snapshot.js';
import { toMs } from '../time.js';
import type { ObjectRef, Severity } from '../types.js';
import { type Check, type DraftFinding, draft } from './check.js';

/** Only these conditions mean trouble when True; vendors add others (EKS, k3s) that must not be flagged. */
const PRESSURE: Record<string, { reason: string; severity: Severity; words: string }> = {
  MemoryPressure: { reason: 'MemoryPressure', severity: 'warning', words: 'under memory pressure' },
  DiskPressure: { reason: 'DiskPressure', severity: 'warning', words: 'under disk pressure' },
  PIDPressure: { reason: 'PIDPressure', severity: 'warning', words: 'running out of PIDs' },
  NetworkUnavailable: { reason: 'NetworkUnavailable', severity: 'critical', words: 'without network' },
};

/** Nodes NotReady or Unknown, under pressure, or cordoned; with the pods they carry. */
export const nodesCheck: Check = {
  name: 'nodes',
  needs: ['nodes', 'pods'],
  requires: ['nodes'],
  run(context) {
    const podsByNode = new Map<string, string[]>();
    const workloadPodsByNode = new Map<string, number>();
    for (const pod of allPods(context.snapshot)) {
      const node = pod.spec?.nodeName;
      if (!node || pod.status?.phase === 'Succeeded') continue;
      const list = podsByNode.get(node) ?? [];
      list.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
      podsByNode.set(node, list);
      // DaemonSet pods belong to the node itself; they cannot (and need not) move elsewhere.
      const daemon = (pod.metadata.ownerReferences ?? []).some((owner) => owner.kind === 'DaemonSet');
      if (!daemon) workloadPodsByNode.set(node, (workloadPodsByNode.get(node) ?? 0) + 1);
    }
    const findings: DraftFinding[] = [];
    for (const node of context.snapshot.nodes) {
      const pods = podsByNode.get(node.metadata.name) ?? [];
      const podLine = pods.length
        ? `${pods.length} pods on it: ${pods.slice(0, 5).join(', ')}${pods.length > 5 ? ', …' : ''}`
        : 'no pods on it';
      findings.push(...nodeFindings(node, podLine, pods.length, workloadPodsByNode.get(node.metadata.name) ?? 0));
    }
    return { findings };
  },
};

function nodeFindings(node: Node, podLine: string, podCount: number, workloadPods: number): DraftFinding[] {
  const ref: ObjectRef = { kind: 'Node', name: node.metadata.name };
  const uids = [node.metadata.uid ?? ''].filter(Boolean);
  const findings: DraftFinding[] = [];
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const drained = Boolean(node.spec?.unschedulable) && workloadPods === 0;
  if (ready && ready.status !== 'True' && drained) {
    // Cordoned and drained: no workload depends on it any more, so it is no longer an outage,
    // but the node still needs repair or replacement.
    const since = toMs(ready.lastTransitionTime);
    findings.push(
      draft({
        check: 'nodes',
        severity: 'warning',
        reason: 'NodeNotReadyDrained',
        title: `node ${ref.name} ${ready.status === 'Unknown' ? 'is unreachable' : 'is NotReady'}, cordoned and drained: repair or replace it`,
        workload: ref,
        objects: [ref],
        since: since === undefined ? undefined : new Date(since).toISOString(),
        firstFailureMs: since,
        evidence: [`Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`, podLine],
        uids,
      }),
    );
  } else if (ready && ready.status !== 'True') {
    const since = toMs(ready.lastTransitionTime);
    findings.push(
      draft({
        check: 'nodes',
        severity: 'critical',
        reason: 'NodeNotReady',
        title: `node ${ref.name} ${ready.status === 'Unknown' ? 'is unreachable (Ready=Unknown)' : 'is NotReady'}, ${podCount} pods affected`,
        workload: ref,
        objects: [ref],
        count: Math.max(1, podCount),
        since: since === undefined ? undefined : new Date(since).toISOString(),
        firstFailureMs: since,
        evidence: [
          `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}`,
          podLine,
        ],
        uids,
      }),
    );
  }
  for (const condition of conditions) {
    const known = PRESSURE[condition.type];
    if (!known || condition.status !== 'True') continue;
    const since = toMs(condition.lastTransitionTime);
    findings.push(
      draft({
        check: 'nodes',
        severity: known.severity,
        reason: known.reason,
        title: `node ${ref.name} ${known.words}`,
        workload: ref,
        objects: [ref],
        since: since === undefined ? undefined : new Date(since).toISOString(),
        firstFailureMs: since,
        evidence: [condition.message ?? `${condition.type}=True`, podLine],
        uids,
      }),
    );
  }
  if (node.spec?.unschedulable) {
    findings.push(
      draft({
        check: 'nodes',
        severity: 'info',
        reason: 'Cordoned',
        title: `node ${ref.name} is cordoned (SchedulingDisabled)`,
        workload: ref,
        objects: [ref],
        evidence: [podLine],
        uids,
      }),
    );
  }
  return findings;
}
