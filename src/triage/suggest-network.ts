import type { ClusterFlags } from '../cluster-flags.js';
import type { Change } from './change.js';
import { latestChangeReaching } from './changes.js';
import type { DraftFinding } from './checks/check.js';
import { suggestionCommand } from './suggestion-command.js';
import { formatClock } from './time.js';
import type { ObjectRef, Suggestion } from './types.js';

/** What a workload cut off by a NetworkPolicy shows: its traffic stops, or its callers fail. */
const CUT_OFF_REASONS = new Set(['TrafficDrop', 'HighErrorRate', 'HighLatency']);

/**
 * A workload whose traffic dropped (or failed) after a NetworkPolicy that selects its pods changed:
 * the policy is what to revert, whatever the workload's own history.
 */
export function suggestNetworkRevert(
  finding: DraftFinding,
  target: ObjectRef,
  context: { changes: readonly Change[]; clusterFlags?: ClusterFlags },
): { suggestion: Suggestion; note: string } | undefined {
  if (!CUT_OFF_REASONS.has(finding.reason)) return undefined;
  const policy = latestChangeReaching(context.changes, 'network-policy', target, finding.firstFailureMs);
  if (!policy?.workload.namespace) return undefined;
  const params = { namespace: policy.workload.namespace, policy: policy.workload.name };
  return {
    suggestion: suggestionCommand('netpol-revert', params, context),
    note: `NetworkPolicy ${params.namespace}/${params.policy} selects its pods and changed at ${formatClock(policy.atMs)}: revert it`,
  };
}
