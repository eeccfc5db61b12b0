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
  const about = nodeFinding(node);
  const name = node.metadata.name;
  const findings: DraftFinding[] = [];
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const drained = Boolean(node.spec?.unschedulable) && workloadPods === 0;
  if (ready && ready.status !== 'True' && drained) {
    // Cordoned and drained: no workload depends on it any more, so it is no longer an outage,
    // but the node still needs repair or replacement.
    findings.push(
      about(ready.lastTransitionTime, {
        severity: 'warning',
        reason: 'NodeNotReadyDrained',
        title: `node ${name} ${ready.status === 'Unknown' ? 'is unreachable' : 'is NotReady'}, cordoned and drained: repair or replace it`,
        evidence: [`Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`, podLine],
      }),
    );
  } else if (ready && ready.status !== 'True') {
    findings.push(
      about(ready.lastTransitionTime, {
        severity: 'critical',
        reason: 'NodeNotReady',
        title: `node ${name} ${ready.status === 'Unknown' ? 'is unreachable (Ready=Unknown)' : 'is NotReady'}, ${podCount} pods affected`,
        count: Math.max(1, podCount),
        evidence: [
          `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}`,
          podLine,
        ],
      }),
    );
  }
  for (const condition of conditions) {
    const known = PRESSURE[condition.type];
    if (!known || condition.status !== 'True') continue;
    findings.push(
      about(condition.lastTransitionTime, {
        severity: known.severity,
        reason: known.reason,
        title: `node ${name} ${known.words}`,
        evidence: [condition.message ?? `${condition.type}=True`, podLine],
      }),
    );
  }
  if (node.spec?.unschedulable) {
    findings.push(
      about(undefined, {
        severity: 'info',
        reason: 'Cordoned',
        title: `node ${name} is cordoned (SchedulingDisabled)`,
        evidence: [podLine],
      }),
    );
  }
  return findings;
}

type NodeFindingFields = Pick<DraftFinding, 'severity' | 'reason' | 'title' | 'evidence'> &
  Partial<Pick<DraftFinding, 'count'>>;

/** A finding about one node, dated from the condition's last transition when it has one. */
function nodeFinding(node: Node) {
  const ref: ObjectRef = { kind: 'Node', name: node.metadata.name };
  const uids = [node.metadata.uid ?? ''].filter(Boolean);
  return (transition: string | undefined, fields: NodeFindingFields): DraftFinding => {
    const since = toMs(transition);
    return draft({
      check: 'nodes',
      workload: ref,
      objects: [ref],
      uids,
      ...(since === undefined ? {} : { since: new Date(since).toISOString(), firstFailureMs: since }),
      ...fields,
    });
  };
}
