/**
 * The CronJob controller (batch/v1), after kube's: at each scheduled time (the schedule read by
 * croner, in UTC or the CronJob's `timeZone`) it creates the Job `<cronjob>-<minutes since epoch>`
 * from `jobTemplate`, only the latest missed time when several passed; `concurrencyPolicy`
 * Forbid skips a run while one is active and Replace deletes the active one; finished Jobs are
 * reported (SawCompletedJob) and pruned to the history limits; status lists the active Jobs and
 * the last schedule and success times.
 */
import { Cron } from 'croner';
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { jobFinished } from './job.js';
import { clone, type Dict, deepEqual, isControlledBy, isDeleting, iso, ms, ownerReference } from './util.js';

const SOURCE = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** kube gives up looking for missed times after this many (and runs the latest). */
const MAX_MISSED = 100;

export const cronJobController: Controller = {
  name: 'cronjob',
  reconcile(state) {
    const cronJobs = state.list('CronJob');
    if (cronJobs.length === 0) return;
    const now = state.now().getTime();
    for (const cronJob of cronJobs) {
      if (isDeleting(cronJob)) continue;
      const jobs = state
        .list('Job', cronJob.metadata.namespace)
        .filter((job) => isControlledBy(job, cronJob) && !isDeleting(job));
      syncCronJob(state, cronJob, jobs, now);
    }
  },
};

/** The latest scheduled time in (after, now], or undefined; an invalid schedule never fires. */
export function latestScheduledTime(schedule: string, timeZone: string | undefined, after: number, now: number) {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone: timeZone ?? 'UTC', paused: true });
  } catch {
    return undefined;
  }
  let latest: number | undefined;
  let next = cron.nextRun(new Date(after));
  for (let i = 0; next && next.getTime() <= now && i < MAX_MISSED * 10; i++) {
    latest = next.getTime();
    next = cron.nextRun(next);
  }
  return latest;
}

function syncCronJob(state: ClusterState, cronJob: SimObject, jobs: SimObject[], now: number): void {
  const spec = (cronJob.spec ?? {}) as Dict;
  const previous = (cronJob.status ?? {}) as Dict;
  const status: Dict = { ...previous };
  const wasActive = new Set(((previous.active as Dict[] | undefined) ?? []).map((ref) => String(ref.uid)));
  for (const job of jobs) {
    const finished = jobFinished(job);
    if (!finished || !wasActive.has(String(job.metadata.uid))) continue;
    recordEvent(
      state,
      cronJob,
      'Normal',
      'SawCompletedJob',
      `Saw completed job: ${job.metadata.name}, status: ${finished}`,
      SOURCE,
    );
    if (finished === 'Complete') status.lastSuccessfulTime = ((job.status ?? {}) as Dict).completionTime ?? iso(now);
  }
  let active = jobs.filter((job) => !jobFinished(job));
  const after = ms(previous.lastScheduleTime ?? cronJob.metadata.creationTimestamp);
  const due =
    spec.suspend === true
      ? undefined
      : latestScheduledTime(String(spec.schedule ?? ''), spec.timeZone as string | undefined, after, now);
  const deadline = spec.startingDeadlineSeconds as number | undefined;
  const inTime = due !== undefined && (deadline === undefined || now - due <= deadline * 1000);
  const policy = spec.concurrencyPolicy ?? 'Allow';
  if (due !== undefined && inTime && !(policy === 'Forbid' && active.length > 0)) {
    if (policy === 'Replace') {
      for (const job of active) deleteJob(state, cronJob, job);
      active = [];
    }
    const job = createJob(state, cronJob, due);
    if (job) active.push(job);
    status.lastScheduleTime = iso(due);
  }
  pruneHistory(state, cronJob, jobs, 'Complete', (spec.successfulJobsHistoryLimit as number | undefined) ?? 3);
  pruneHistory(state, cronJob, jobs, 'Failed', (spec.failedJobsHistoryLimit as number | undefined) ?? 1);
  status.active = active.map((job) => ({
    kind: 'Job',
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  }));
  if ((status.active as Dict[]).length === 0) delete status.active;
  if (deepEqual(previous, status)) return;
  state.update({ ...cronJob, status });
}

function createJob(state: ClusterState, cronJob: SimObject, scheduled: number): SimObject | undefined {
  const template = clone((((cronJob.spec ?? {}) as Dict).jobTemplate ?? {}) as Dict);
  const metadata = (template.metadata ?? {}) as Dict;
  const name = `${cronJob.metadata.name}-${Math.floor(scheduled / 60_000)}`;
  if (state.get('Job', cronJob.metadata.namespace, name)) return undefined;
  const job = state.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      labels: { ...((metadata.labels ?? {}) as Record<string, string>) },
      annotations: {
        ...((metadata.annotations ?? {}) as Record<string, string>),
        [SCHEDULED_TIMESTAMP]: iso(scheduled),
      },
      ownerReferences: [ownerReference(cronJob)],
    },
    spec: (template.spec ?? {}) as Dict,
  });
  recordEvent(state, cronJob, 'Normal', 'SuccessfulCreate', `Created job ${name}`, SOURCE);
  return job;
}

function deleteJob(state: ClusterState, cronJob: SimObject, job: SimObject): void {
  state.delete('Job', job.metadata.namespace, job.metadata.name);
  recordEvent(state, cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, SOURCE);
}

function pruneHistory(state: ClusterState, cronJob: SimObject, jobs: SimObject[], kind: string, limit: number): void {
  const finished = jobs
    .filter((job) => jobFinished(job) === kind)
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
  for (const job of finished.slice(0, Math.max(0, finished.length - limit))) deleteJob(state, cronJob, job);
}
