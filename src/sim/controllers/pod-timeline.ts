/**
 * A container's life as a pure function of its behaviour, its start and "now": when it was
 * pulled, started, crashed, restarted or retried pulling, following kubelet's timings (restart
 * back-off 10s doubling to a 5 min cap; image pull back-off the same). Because the state is
 * computed rather than accumulated, it is exact however coarsely the clock is stepped.
 */
import type { SimObject } from '../cluster-state.js';
import { type Dict, podBehavior } from './util.js';

export const BEHAVIOR_CONTAINER_ANNOTATION = 'sim.inc.dev/behavior-container';
/** How long a healthy container of a pod that is not restarted (`Never`, `OnFailure`) runs before it exits 0. */
export const RUN_SECONDS_ANNOTATION = 'sim.inc.dev/run-seconds';
const DEFAULT_RUN_SECONDS = 10;

/** What the pod's restartPolicy does to a container's life: whether a failed run restarts, and when work ends. */
export interface RunPolicy {
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** A healthy container exits 0 this long after it started (never under `Always`). */
  runMs?: number;
}

export function runPolicyOf(pod: SimObject): RunPolicy {
  const policy = String(((pod.spec ?? {}) as Dict).restartPolicy ?? 'Always');
  if (policy !== 'Never' && policy !== 'OnFailure') return { restartPolicy: 'Always' };
  const seconds = Number(pod.metadata.annotations?.[RUN_SECONDS_ANNOTATION] ?? DEFAULT_RUN_SECONDS);
  return {
    restartPolicy: policy,
    runMs: (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_RUN_SECONDS) * 1000,
  };
}

const ALWAYS: RunPolicy = { restartPolicy: 'Always' };

export type Behavior = 'healthy' | 'crashloop' | 'oom' | 'imagepull' | 'not-ready' | 'unschedulable';

export const BEHAVIORS: readonly Behavior[] = [
  'healthy',
  'crashloop',
  'oom',
  'imagepull',
  'not-ready',
  'unschedulable',
];

export const PULL_MS = 1_500;
export const START_MS = 2_000;
export const CRASH_RUN_MS = 4_000;
export const OOM_RUN_MS = 7_000;
export const PULL_FAIL_MS = 1_000;
export const ERR_IMAGE_PULL_SHOWN_MS = 2_000;
export const PROBE_PERIOD_MS = 10_000;
const BACKOFF_START_MS = 10_000;
const BACKOFF_CAP_MS = 300_000;
const MAX_STEPS = 100_000;

export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_START_MS * 2 ** Math.min(attempt, 20), BACKOFF_CAP_MS);
}

/** Go's time.Duration.String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(msValue: number): string {
  const seconds = Math.round(msValue / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}

export interface Run {
  startedAt: number;
  /** When it ended; undefined while still running. */
  finishedAt?: number;
}

export type ContainerPhase =
  | { kind: 'creating' }
  | { kind: 'running'; startedAt: number; ready: boolean; readySince: number }
  | { kind: 'backoff'; backoffMs: number }
  | { kind: 'pull-error'; reason: 'ErrImagePull' | 'ImagePullBackOff' }
  | { kind: 'terminated'; exitCode: number; reason: string; startedAt: number; finishedAt: number };

export interface ContainerLife {
  phase: ContainerPhase;
  restartCount: number;
  /** Runs that already ended, oldest first (crash loops only). */
  finished: Run[];
  /** The current (or most recent) run, if any container ever started. */
  current?: Run;
  /** When the running container will exit, where that is known (its status changes then). */
  endsAt?: number;
}

export interface TimelineEvent {
  at: number;
  type: 'Normal' | 'Warning';
  reason: string;
  /** Which message to render; the kubelet fills in names. */
  what:
    | 'pulling'
    | 'pulled'
    | 'present'
    | 'created'
    | 'started'
    | 'backoff'
    | 'unhealthy'
    | 'pull-failed'
    | 'err-image-pull'
    | 'pull-backoff'
    | 'err-pull-backoff'
    | 'oom-killing';
}

/** Start times of each run of a crash-looping container, up to `until`. */
function crashRuns(start: number, until: number, runMs: number): Run[] {
  const runs: Run[] = [];
  let startedAt = start + START_MS;
  for (let k = 0; startedAt <= until && k < MAX_STEPS; k++) {
    const crashAt = startedAt + runMs;
    runs.push({ startedAt, finishedAt: crashAt });
    startedAt = crashAt + backoffMs(k);
  }
  return runs;
}

/** Pull attempts of an image that does not exist: attempt k starts after back-off k-1. */
function pullAttempts(start: number, until: number): number[] {
  const attempts: number[] = [];
  let at = start;
  for (let k = 0; at <= until && k < MAX_STEPS; k++) {
    attempts.push(at);
    at = at + PULL_FAIL_MS + backoffMs(k);
  }
  return attempts;
}

export function containerLife(behavior: Behavior, start: number, now: number, policy = ALWAYS): ContainerLife {
  const runMs = behavior === 'oom' ? OOM_RUN_MS : CRASH_RUN_MS;
  if ((behavior === 'crashloop' || behavior === 'oom') && policy.restartPolicy === 'Never') {
    const startedAt = start + START_MS;
    return endedOnce(
      startedAt,
      startedAt + runMs,
      now,
      behavior === 'oom' ? 137 : 1,
      behavior === 'oom' ? 'OOMKilled' : 'Error',
    );
  }
  if (behavior === 'crashloop' || behavior === 'oom') {
    const runs = crashRuns(start, now, runMs);
    if (runs.length === 0) return { phase: { kind: 'creating' }, restartCount: 0, finished: [] };
    const last = runs[runs.length - 1]!;
    const k = runs.length - 1;
    if (now < (last.finishedAt ?? 0)) {
      return {
        phase: { kind: 'running', startedAt: last.startedAt, ready: false, readySince: last.startedAt },
        restartCount: k,
        finished: runs.slice(0, -1),
        current: { startedAt: last.startedAt },
        endsAt: last.finishedAt,
      };
    }
    return { phase: { kind: 'backoff', backoffMs: backoffMs(k) }, restartCount: k, finished: runs, current: last };
  }
  if (behavior === 'imagepull') {
    const attempts = pullAttempts(start, now);
    const last = attempts[attempts.length - 1] ?? start;
    const failedAt = last + PULL_FAIL_MS;
    if (attempts.length <= 1 && now < failedAt) return { phase: { kind: 'creating' }, restartCount: 0, finished: [] };
    const recent = now < failedAt ? attempts[attempts.length - 2]! + PULL_FAIL_MS : failedAt;
    const reason = now - recent < ERR_IMAGE_PULL_SHOWN_MS ? 'ErrImagePull' : 'ImagePullBackOff';
    return { phase: { kind: 'pull-error', reason }, restartCount: 0, finished: [] };
  }
  if (behavior === 'unschedulable' || now < start + START_MS) {
    return { phase: { kind: 'creating' }, restartCount: 0, finished: [] };
  }
  const startedAt = start + START_MS;
  if (policy.runMs !== undefined) return endedOnce(startedAt, startedAt + policy.runMs, now, 0, 'Completed', behavior);
  return {
    phase: { kind: 'running', startedAt, ready: behavior !== 'not-ready', readySince: startedAt },
    restartCount: 0,
    finished: [],
    current: { startedAt },
  };
}

/** A container that runs once (its pod does not restart it): running until `endsAt`, then terminated. */
function endedOnce(
  startedAt: number,
  endsAt: number,
  now: number,
  exitCode: number,
  reason: string,
  behavior: Behavior = 'healthy',
): ContainerLife {
  if (now < startedAt) return { phase: { kind: 'creating' }, restartCount: 0, finished: [] };
  if (now < endsAt) {
    return {
      phase: { kind: 'running', startedAt, ready: behavior !== 'not-ready', readySince: startedAt },
      restartCount: 0,
      finished: [],
      current: { startedAt },
      endsAt,
    };
  }
  const run = { startedAt, finishedAt: endsAt };
  return { phase: { kind: 'terminated', exitCode, reason, ...run }, restartCount: 0, finished: [run], current: run };
}

/** The kubelet events of one container with from < at <= to, in order. */
export function containerEvents(
  behavior: Behavior,
  start: number,
  from: number,
  to: number,
  policy = ALWAYS,
): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const add = (at: number, type: TimelineEvent['type'], reason: string, what: TimelineEvent['what']) => {
    if (at > from && at <= to) out.push({ at, type, reason, what });
  };
  if (behavior === 'unschedulable') return out;
  if (behavior === 'imagepull') {
    for (const at of pullAttempts(start, to)) {
      add(at, 'Normal', 'Pulling', 'pulling');
      add(at + PULL_FAIL_MS, 'Warning', 'Failed', 'pull-failed');
      add(at + PULL_FAIL_MS, 'Warning', 'Failed', 'err-image-pull');
      add(at + PULL_FAIL_MS + ERR_IMAGE_PULL_SHOWN_MS, 'Normal', 'BackOff', 'pull-backoff');
      add(at + PULL_FAIL_MS + ERR_IMAGE_PULL_SHOWN_MS, 'Warning', 'Failed', 'err-pull-backoff');
    }
    return out.sort((a, b) => a.at - b.at);
  }
  add(start, 'Normal', 'Pulling', 'pulling');
  add(start + PULL_MS, 'Normal', 'Pulled', 'pulled');
  if (behavior === 'crashloop' || behavior === 'oom') {
    const all = crashRuns(start, to, behavior === 'oom' ? OOM_RUN_MS : CRASH_RUN_MS);
    // Under `Never` the container is not restarted: one run, no back-off.
    const once = policy.restartPolicy === 'Never';
    const runs = once ? all.slice(0, 1) : all;
    runs.forEach((run, k) => {
      if (k > 0) add(run.startedAt, 'Normal', 'Pulled', 'present');
      add(run.startedAt, 'Normal', 'Created', 'created');
      add(run.startedAt, 'Normal', 'Started', 'started');
      if (behavior === 'oom') add(run.finishedAt!, 'Warning', 'OOMKilling', 'oom-killing');
      if (!once) add(run.finishedAt! + 1, 'Warning', 'BackOff', 'backoff');
    });
    return out.sort((a, b) => a.at - b.at);
  }
  add(start + START_MS, 'Normal', 'Created', 'created');
  add(start + START_MS, 'Normal', 'Started', 'started');
  if (behavior === 'not-ready') {
    const first = start + START_MS + PROBE_PERIOD_MS;
    const k0 = Math.max(0, Math.floor((from - first) / PROBE_PERIOD_MS));
    for (let at = first + k0 * PROBE_PERIOD_MS; at <= to; at += PROBE_PERIOD_MS)
      add(at, 'Warning', 'Unhealthy', 'unhealthy');
  }
  return out;
}

/** The behaviour applies to the container the annotation names, else to the first one; others are healthy. */
export function containerBehavior(pod: SimObject, container: Dict, index: number): Behavior {
  const behavior = podBehavior(pod) as Behavior;
  if (!BEHAVIORS.includes(behavior) || behavior === 'healthy') return 'healthy';
  const target = pod.metadata.annotations?.[BEHAVIOR_CONTAINER_ANNOTATION];
  const applies = target ? container.name === target : index === 0;
  return applies ? behavior : 'healthy';
}
