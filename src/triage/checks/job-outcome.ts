import type { Workload } from '../k8s.js';
import type { ObjectRef } from '../types.js';

/** What the Job controller concluded about the Job (or the CronJob's recent runs) behind failing pods. */
export interface JobOutcome {
  /** Replaces the pods' verb in the title: "failed: backoff limit reached". */
  title: string;
  evidence: string[];
}

function failedCondition(job: Workload) {
  return (job.status?.conditions ?? []).find((c) => c.type === 'Failed' && c.status === 'True');
}

function describeFailure(job: Workload): string {
  const failed = failedCondition(job);
  return `job ${job.metadata.name}: Failed (${failed?.reason ?? 'unknown reason'})${failed?.message ? `: ${failed.message}` : ''}`;
}

/**
 * A failed Job (its `Failed` condition, e.g. BackoffLimitExceeded) or a CronJob whose latest runs
 * failed, told in the words the controller used; undefined when the Job has not given up.
 */
export function jobOutcome(workload: ObjectRef, jobs: readonly Workload[]): JobOutcome | undefined {
  const inNamespace = jobs.filter((job) => job.metadata.namespace === workload.namespace);
  if (workload.kind === 'Job') {
    const job = inNamespace.find((j) => j.metadata.name === workload.name);
    const failed = job && failedCondition(job);
    if (!job || !failed) return undefined;
    const why = failed.reason === 'BackoffLimitExceeded' ? 'backoff limit reached' : (failed.reason ?? 'failed');
    return { title: `failed: ${why}`, evidence: [describeFailure(job)] };
  }
  if (workload.kind !== 'CronJob') return undefined;
  const runs = inNamespace
    .filter((job) => job.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === workload.name))
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  const finished = runs.filter((job) =>
    (job.status?.conditions ?? []).some((c) => (c.type === 'Failed' || c.type === 'Complete') && c.status === 'True'),
  );
  const failing = [];
  for (const job of finished) {
    if (!failedCondition(job)) break;
    failing.push(job);
  }
  if (failing.length === 0) return undefined;
  const runWord = failing.length === 1 ? 'its last run failed' : `its last ${failing.length} runs failed`;
  return { title: runWord, evidence: failing.slice(0, 3).map(describeFailure) };
}
