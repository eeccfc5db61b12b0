import { redactText } from '../incident/redact.js';
import type { ContainerLog, Pod } from './k8s.js';
import { OwnerIndex, refKey } from './owners.js';
import { allPods, type Snapshot } from './snapshot.js';
import type { Finding } from './types.js';

/** A few pods per workload, a few workloads: enough to show what the errors say, cheap on a big cluster. */
export const SERVING_LOG_LIMITS = { workloads: 4, perWorkload: 2, shownLines: 2, lineWidth: 200 } as const;

const ERROR_LINE = /\b(error|exception|fatal|panic|fail(ed|ure)?|5\d\d)\b/i;

/** Reads the running container's log of each pod (its tail); a pod whose log cannot be read is left out. */
export type ReadServingLogs = (pods: readonly Pod[]) => Promise<ContainerLog[]>;

/**
 * The error lines of the pods behind each HighErrorRate finding, added to its evidence: a workload
 * whose pods are all Running and Ready shows in its own logs what its 5xx are ("request failed:
 * status=500 … upstream ledger: connection reset by peer"). The logs join the snapshot's, so the
 * incident's evidence keeps them. Reading them never fails triage.
 */
export async function attachServingErrorLogs(
  findings: readonly Finding[],
  snapshot: Snapshot,
  read: ReadServingLogs,
  maxEvidence: number,
): Promise<void> {
  const flagged = findings.filter((f) => f.check === 'signals' && f.reason === 'HighErrorRate' && f.workload);
  if (flagged.length === 0) return;
  const byWorkload = podsOfWorkloads(flagged.slice(0, SERVING_LOG_LIMITS.workloads), snapshot);
  const pods = [...byWorkload.values()].flat();
  if (pods.length === 0) return;
  const logs = await read(pods).catch((): ContainerLog[] => []);
  snapshot.logs.push(...logs);
  const logByUid = new Map(logs.map((log) => [log.podUid ?? `${log.namespace}/${log.pod}`, log]));
  for (const finding of flagged) {
    for (const pod of byWorkload.get(refKey(finding.workload!)) ?? []) {
      const log = logByUid.get(pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`);
      const line = log ? servingLogLine(log) : undefined;
      if (line && finding.evidence.length < maxEvidence) finding.evidence.push(line);
    }
  }
}

/** Running pods of each flagged workload, the first few of each, by the workload's key. */
function podsOfWorkloads(flagged: readonly Finding[], snapshot: Snapshot): Map<string, Pod[]> {
  const wanted = new Set(flagged.map((f) => refKey(f.workload!)));
  const owners = new OwnerIndex(snapshot);
  const found = new Map<string, Pod[]>();
  for (const pod of allPods(snapshot)) {
    if (pod.status?.phase !== 'Running' || !flagged.some((f) => f.workload?.namespace === pod.metadata.namespace))
      continue;
    const key = refKey(owners.workloadOf(pod).ref);
    if (!wanted.has(key)) continue;
    const list = found.get(key) ?? [];
    if (list.length < SERVING_LOG_LIMITS.perWorkload) list.push(pod);
    found.set(key, list);
  }
  return found;
}

/**
 * "log of api-7d9f-x2/api: 12 error lines in the last 40, the last: … ⏎ …"; undefined when the
 * log holds no error line. Redacted before lines are cut to width.
 */
export function servingLogLine(log: ContainerLog): string | undefined {
  const lines = redactText(log.text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean);
  const errors = lines.filter((line) => ERROR_LINE.test(line));
  if (errors.length === 0) return undefined;
  const shown = errors
    .slice(-SERVING_LOG_LIMITS.shownLines)
    .map((line) =>
      line.length > SERVING_LOG_LIMITS.lineWidth ? `${line.slice(0, SERVING_LOG_LIMITS.lineWidth)}…` : line,
    );
  const count = `${errors.length} error line${errors.length === 1 ? '' : 's'} in the last ${lines.length}`;
  return `log of ${log.pod}/${log.container}: ${count}, the last: ${shown.join(' ⏎ ')}`;
}
