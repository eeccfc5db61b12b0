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
    // A triage of one namespace reads only its pods: what it says of a node's pods must say so. A dead
    // node it calls drained is drained of this namespace's workloads; other namespaces' may be left.
    const namespace = context.snapshot.namespace;
    const ofNamespace = namespace === undefined ? '' : ` of namespace ${namespace}`;
    const findings: DraftFinding[] = [];
    for (const node of context.snapshot.nodes) {
      const pods = podsByNode.get(node.metadata.name) ?? [];
      const counted = `${pods.length} pod${pods.length === 1 ? '' : 's'}${ofNamespace}`;
      const podLine = pods.length
        ? `${counted} on it: ${pods.slice(0, 5).join(', ')}${pods.length > 5 ? ', …' : ''}`
        : `no pods${ofNamespace} on it`;
      const workloadPods = workloadPodsByNode.get(node.metadata.name) ?? 0;
      findings.push(
        ...nodeFindings(node, {
          podLine,
          affected: `${counted} affected`,
          count: pods.length,
          drainedOf: workloadPods === 0 ? (namespace === undefined ? 'drained' : `drained${ofNamespace}`) : undefined,
        }),
      );
    }
    return { findings };
  },
};

/** What the node check found of the pods on one node. */
interface PodsOnNode {
  /** The evidence line: how many pods, and the first few. */
  podLine: string;
  /** The title's words for them, e.g. `7 pods affected`. */
  affected: string;
  count: number;
  /** With no workload pod left on it (DaemonSet pods stay by design): `drained`, or of what. */
  drainedOf: string | undefined;
}

function nodeFindings(node: Node, { podLine, affected, count, drainedOf }: PodsOnNode): DraftFinding[] {
  const about = nodeFinding(node);
  const name = node.metadata.name;
  const findings: DraftFinding[] = [];
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True' && node.spec?.unschedulable && drainedOf) {
    // Cordoned and drained: no workload depends on it any more, so it is no longer an outage,
    // but the node still needs repair or replacement.
    findings.push(
      about(ready.lastTransitionTime, {
        severity: 'warning',
        reason: 'NodeNotReadyDrained',
        title: `node ${name} ${ready.status === 'Unknown' ? 'is unreachable' : 'is NotReady'}, cordoned and ${drainedOf}: repair or replace it`,
        evidence: [`Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`, podLine],
      }),
    );
  } else if (ready && ready.status !== 'True') {
    findings.push(
      about(ready.lastTransitionTime, {
        severity: 'critical',
        reason: 'NodeNotReady',
        title: `node ${name} ${ready.status === 'Unknown' ? 'is unreachable (Ready=Unknown)' : 'is NotReady'}, ${affected}`,
        count: Math.max(1, count),
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
