/**
 * The Job controller (batch/v1), after kube's: pods from the template (labelled with the Job's
 * `batch.kubernetes.io/controller-uid` and `job-name`, controlled by the Job) up to `parallelism`
 * until `completions` pods succeeded; a failed pod is replaced after the back-off (10 s doubling, at
 * most 6 min); more failures than `backoffLimit` (or, under `OnFailure`, that many container
 * restarts) fail the Job: its running pods are deleted and it gets the `Failed` condition with
 * reason BackoffLimitExceeded. A finished Job is never touched again.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { terminatePod } from './pod.js';
import { isPodReady, podFromTemplate, podsOwnedBy } from './replicaset.js';
import { clone, type Dict, deepEqual, isDeleting, iso, ms, randomSuffix } from './util.js';

const SOURCE = { component: 'job-controller' };
const BACKOFF_START_MS = 10_000;
const BACKOFF_CAP_MS = 360_000;

export function jobFinished(job: SimObject): 'Complete' | 'Failed' | undefined {
  const conditions = (((job.status ?? {}) as Dict).conditions as Dict[] | undefined) ?? [];
  const done = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return done?.type as 'Complete' | 'Failed' | undefined;
}

export const jobController: Controller = {
  name: 'job',
  reconcile(state) {
    const jobs = state.list('Job');
    if (jobs.length === 0) return;
    const now = state.now().getTime();
    for (const job of jobs) {
      if (isDeleting(job) || jobFinished(job)) continue;
      syncJob(
        state,
        job,
        podsOwnedBy(state, job).filter((p) => !isDeleting(p)),
        now,
      );
    }
  },
};

const phaseOf = (pod: SimObject) => (pod.status as Dict | undefined)?.phase;

function restartsOf(pod: SimObject): number {
  const statuses = (((pod.status ?? {}) as Dict).containerStatuses as Dict[] | undefined) ?? [];
  return statuses.reduce((sum, s) => sum + ((s.restartCount as number | undefined) ?? 0), 0);
}

/** When a pod's last container finished (its failure time, for the back-off). */
function finishedAt(pod: SimObject): number {
  const statuses = (((pod.status ?? {}) as Dict).containerStatuses as Dict[] | undefined) ?? [];
  const times = statuses.map((s) => ms(((s.state as Dict | undefined)?.terminated as Dict | undefined)?.finishedAt));
  const known = times.filter((t) => !Number.isNaN(t));
  return known.length > 0 ? Math.max(...known) : ms(pod.metadata.creationTimestamp);
}

function syncJob(state: ClusterState, job: SimObject, pods: SimObject[], now: number): void {
  const spec = (job.spec ?? {}) as Dict;
  const previous = (job.status ?? {}) as Dict;
  const active = pods.filter((p) => phaseOf(p) !== 'Succeeded' && phaseOf(p) !== 'Failed');
  const failedPods = pods.filter((p) => phaseOf(p) === 'Failed');
  const succeeded = Math.max(
    (previous.succeeded as number) ?? 0,
    pods.filter((p) => phaseOf(p) === 'Succeeded').length,
  );
  const failed = Math.max((previous.failed as number) ?? 0, failedPods.length);
  const completions = spec.completions as number | null | undefined;
  const parallelism = (spec.parallelism as number | undefined) ?? 1;
  const backoffLimit = (spec.backoffLimit as number | undefined) ?? 6;
  const template = ((spec.template ?? {}) as Dict).spec as Dict | undefined;
  const restarts = template?.restartPolicy === 'OnFailure' ? active.reduce((sum, p) => sum + restartsOf(p), 0) : 0;
  const status: Dict = { ...previous, startTime: previous.startTime ?? iso(now) };
  const conditions = [...((previous.conditions as Dict[] | undefined) ?? [])];
  let running = active;

  if (failed > backoffLimit || (restarts > 0 && restarts >= backoffLimit)) {
    for (const pod of active) terminatePod(state, pod);
    running = [];
    conditions.push(condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now));
    recordEvent(state, job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', SOURCE);
  } else if (completions != null ? succeeded >= completions : succeeded > 0 && active.length === 0) {
    conditions.push(condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now));
    status.completionTime = iso(now);
    recordEvent(state, job, 'Normal', 'Completed', 'Job completed', SOURCE);
  } else if (spec.suspend !== true) {
    const wanted = completions != null ? Math.min(parallelism, completions - succeeded) : parallelism;
    const lastFailure = failedPods.length > 0 ? Math.max(...failedPods.map(finishedAt)) : undefined;
    const backoff = Math.min(BACKOFF_START_MS * 2 ** Math.max(0, failed - 1), BACKOFF_CAP_MS);
    if (active.length < wanted && (lastFailure === undefined || now >= lastFailure + backoff)) {
      running = [...active];
      for (let i = active.length; i < wanted; i++) running.push(createPod(state, job));
    }
  }
  status.conditions = conditions;
  status.active = running.length;
  status.succeeded = succeeded;
  status.failed = failed;
  status.ready = running.filter(isPodReady).length;
  status.terminating = 0;
  status.uncountedTerminatedPods = {};
  for (const key of ['active', 'succeeded', 'failed']) if (status[key] === 0) delete status[key];
  if (conditions.length === 0) delete status.conditions;
  if (deepEqual(previous, status)) return;
  state.update({ ...job, status });
}

function condition(type: string, reason: string, message: string, now: number): Dict {
  return { type, status: 'True', lastProbeTime: iso(now), lastTransitionTime: iso(now), reason, message };
}

function createPod(state: ClusterState, job: SimObject): SimObject {
  const template = clone((((job.spec ?? {}) as Dict).template ?? {}) as Dict);
  let name = `${job.metadata.name}-${randomSuffix()}`;
  while (state.get('Pod', job.metadata.namespace, name)) name = `${job.metadata.name}-${randomSuffix()}`;
  const pod = state.create(podFromTemplate(job, template, name));
  recordEvent(state, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
  return pod;
}
