import type { ClusterFlags } from '../cluster-flags.js';
import type { Change } from './change.js';
import { changesReaching } from './changes.js';
import type { DraftFinding } from './checks/check.js';
import type { NetworkPolicy } from './k8s.js';
import { admitsNoIngress, canDropTraffic } from './network-policy-reach.js';
import type { Snapshot } from './snapshot.js';
import { suggestionCommand } from './suggestion-command.js';
import { formatClock } from './time.js';
import type { ObjectRef, Suggestion } from './types.js';

/** What a workload cut off by a NetworkPolicy shows: its traffic stops, or its callers fail. */
const CUT_OFF_REASONS = new Set(['TrafficDrop', 'HighErrorRate', 'HighLatency']);

/**
 * A workload whose traffic dropped (or failed) after a NetworkPolicy that selects its pods changed:
 * the policy is what to revert, whatever the workload's own history. Of several, one that admits no
 * ingress at all comes first, then the newest; a policy that drops nothing (`ingress: [{}]`) is never
 * offered. The others that can drop traffic are named, since each isolates the pods on its own.
 */
export function suggestNetworkRevert(
  finding: DraftFinding,
  target: ObjectRef,
  context: { changes: readonly Change[]; snapshot: Snapshot; clusterFlags?: ClusterFlags },
): { suggestion: Suggestion; note: string } | undefined {
  if (!CUT_OFF_REASONS.has(finding.reason)) return undefined;
  const policyOf = (change: Change) =>
    context.snapshot.networkPolicies.find(
      (p) => p.metadata.namespace === change.workload.namespace && p.metadata.name === change.workload.name,
    );
  const candidates = changesReaching(context.changes, 'network-policy', target, finding.firstFailureMs)
    .map((change) => ({ change, policy: policyOf(change) }))
    .filter((c): c is { change: Change; policy: NetworkPolicy } => !!c.policy && canDropTraffic(c.policy))
    .sort((a, b) => Number(admitsNoIngress(b.policy)) - Number(admitsNoIngress(a.policy)));
  const [chosen, ...others] = candidates;
  if (!chosen?.change.workload.namespace) return undefined;
  const policy = chosen.change;
  const params = { namespace: policy.workload.namespace ?? '', policy: policy.workload.name };
  const also = others.map(
    ({ change }) =>
      `; networkpolicy ${change.workload.namespace}/${change.workload.name} (changed at ${formatClock(change.atMs)}) selects them too and admits only what its rules allow: if the traffic does not come back, revert it as well`,
  );
  return {
    suggestion: suggestionCommand('netpol-revert', params, context),
    note: `NetworkPolicy ${params.namespace}/${params.policy} selects its pods and changed at ${formatClock(policy.atMs)}: revert it${also.join('')}`,
  };
}
