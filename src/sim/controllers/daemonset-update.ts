/**
 * Which outdated DaemonSet pods a RollingUpdate deletes in one pass, after upstream's
 * rollingUpdate (maxSurge 0): an old pod that is not available is replaced at once, whatever the
 * budget, so rolling back a crash-looping DaemonSet converges; available old pods go only while
 * fewer than maxUnavailable nodes lack an available pod.
 */
import type { SimObject } from '../cluster-state.js';
import { REVISION_HASH_LABEL } from './controller-revision.js';
import { resolveIntOrPercent } from './deployment.js';
import { isPodAvailable } from './replicaset.js';
import type { Dict } from './util.js';

export function outdatedPodsToReplace(
  ds: SimObject,
  desired: number,
  pods: SimObject[],
  hash: string,
  now: number,
): SimObject[] {
  const spec = (ds.spec ?? {}) as Dict;
  const rollingUpdate = (((spec.updateStrategy ?? {}) as Dict).rollingUpdate ?? {}) as Dict;
  // Percentages round up for a DaemonSet's maxUnavailable, and it is at least one.
  const maxUnavailable = Math.max(1, resolveIntOrPercent(rollingUpdate.maxUnavailable, desired, true, '1'));
  const minReadySeconds = (spec.minReadySeconds as number | undefined) ?? 0;
  const available = (pod: SimObject) => isPodAvailable(pod, minReadySeconds, now);
  const byNode = new Map<string, SimObject[]>();
  for (const pod of pods) {
    const node = String((pod.spec as Dict).nodeName);
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  let unavailable = 0;
  const replaceNow: SimObject[] = [];
  const candidates: SimObject[] = [];
  for (const onNode of byNode.values()) {
    const fresh = onNode.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash);
    const old = onNode.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== hash);
    if (fresh.length > 1 || old.length > 1 || (fresh.length > 0 && old.length > 0)) {
      unavailable += 1;
    } else if (fresh.length === 1) {
      if (!available(fresh[0]!)) unavailable += 1;
    } else if (old.length === 1) {
      if (!available(old[0]!)) replaceNow.push(old[0]!);
      else if (unavailable < maxUnavailable) candidates.push(old[0]!);
    }
  }
  const budget = Math.min(candidates.length, Math.max(0, maxUnavailable - unavailable));
  return [...replaceNow, ...candidates.slice(0, budget)];
}
