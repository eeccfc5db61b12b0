import type { ContainerStatus, KEvent, Pod } from '../k8s.js';
import { memoryMi, parseQuantity } from '../quantity.js';
import { eventFirstSeen, eventLastSeen, formatAge, toMs } from '../time.js';

/** What is wrong with one pod: the most telling problem only, so a pod is counted once. */
export interface PodIssue {
  reason: string;
  /** `high` becomes critical when every pod of the workload has it, else warning. */
  level: 'critical' | 'high' | 'warning';
  /** Words for the title: "3/3 pods of deployment payments/api crash-looping". */
  verb: string;
  sinceMs?: number;
  evidence: string[];
}

export const GRACE = {
  /** Image pulls fail transiently while a pod starts (Robusta fires after 120 s). */
  imagePullMs: 120_000,
  /** A pod may be unready while it starts; past this it is a finding. */
  notReadyMs: 60_000,
  /** ContainerCreating this long without a mount or sandbox event is still stuck. */
  creatingMs: 300_000,
  /** Past deletionTimestamp + grace period + this, a pod is stuck terminating. */
  terminatingMs: 60_000,
  /** Crash loops count from this many restarts. */
  crashRestarts: 2,
} as const;

const IMAGE_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
]);
const CONFIG_REASONS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PreCreateHookError',
]);

export interface PodIssueContext {
  now: number;
  sinceMs: number;
  /** Warning events of this pod, by its uid (never by name). */
  events: readonly KEvent[];
}

/** Classifies one pod; undefined when it is healthy, completed, or still within a grace period. */
export function classifyPod(pod: Pod, context: PodIssueContext): PodIssue | undefined {
  const issue = firstIssue(pod, context);
  return issue && { ...issue, evidence: issue.evidence.filter(Boolean) };
}

function firstIssue(pod: Pod, context: PodIssueContext): PodIssue | undefined {
  const status = pod.status ?? {};
  if (status.phase === 'Succeeded') return undefined;
  if (status.reason === 'Evicted') {
    return {
      reason: 'Evicted',
      level: 'warning',
      verb: 'evicted',
      sinceMs: toMs(status.startTime),
      evidence: [status.message ?? 'evicted by the kubelet'],
    };
  }
  const terminating = stuckTerminating(pod, context.now);
  if (terminating) return terminating;
  const firstEvent = earliest(context.events.map(eventFirstSeen));
  for (const [statuses, init] of [
    [status.initContainerStatuses ?? [], true],
    [status.containerStatuses ?? [], false],
  ] as const) {
    for (const container of statuses) {
      const issue = containerIssue(pod, container, init, context, firstEvent);
      if (issue) return issue;
    }
  }
  return podLevelIssue(pod, context, firstEvent);
}

/** What the container checks read of one container, worked out once. */
interface ContainerView {
  pod: Pod;
  container: ContainerStatus;
  init: boolean;
  context: PodIssueContext;
  firstEvent: number | undefined;
  /** "container api" or "init container migrate", as the evidence names it. */
  label: string;
  reason: string;
  restarts: number;
  last: NonNullable<ContainerStatus['lastState']>['terminated'];
  lastFinished: number | undefined;
  /** The last termination in one line, when there was one. */
  lastLine: string | undefined;
  startedMs: number;
}

function containerIssue(
  pod: Pod,
  container: ContainerStatus,
  init: boolean,
  context: PodIssueContext,
  firstEvent: number | undefined,
): PodIssue | undefined {
  const view = viewOf(pod, container, init, context, firstEvent);
  if (isCrashLooping(view)) return crashLoopIssue(view);
  if (IMAGE_REASONS.has(view.reason)) return imagePullIssue(view);
  if (CONFIG_REASONS.has(view.reason)) return configIssue(view);
  return terminatedIssue(view) ?? recentCrashIssue(view);
}

function viewOf(
  pod: Pod,
  container: ContainerStatus,
  init: boolean,
  context: PodIssueContext,
  firstEvent: number | undefined,
): ContainerView {
  const label = `${init ? 'init container' : 'container'} ${container.name}`;
  const last = container.lastState?.terminated;
  const restarts = container.restartCount ?? 0;
  const lastLine = last
    ? `${label}: last state ${last.reason ?? 'Terminated'}, exit code ${last.exitCode ?? '?'}${restarts ? `, ${restarts} restarts` : ''}`
    : undefined;
  return {
    pod,
    container,
    init,
    context,
    firstEvent,
    label,
    reason: container.state?.waiting?.reason ?? '',
    restarts,
    last,
    lastFinished: toMs(last?.finishedAt),
    lastLine,
    startedMs: toMs(pod.status?.startTime) ?? toMs(pod.metadata.creationTimestamp) ?? context.now,
  };
}

/** Back-off after crashes: CrashLoopBackOff, or another waiting reason after enough restarts. */
function isCrashLooping({ reason, last, restarts }: ContainerView): boolean {
  return (
    reason === 'CrashLoopBackOff' ||
    (last !== undefined &&
      reason !== '' &&
      restarts >= GRACE.crashRestarts &&
      !IMAGE_REASONS.has(reason) &&
      !CONFIG_REASONS.has(reason))
  );
}

function crashLoopIssue(view: ContainerView): PodIssue | undefined {
  const { last, restarts, firstEvent, lastFinished, lastLine } = view;
  if (last?.reason === 'OOMKilled') {
    return {
      reason: 'OOMKilled',
      level: 'critical',
      verb: 'OOM-killed',
      sinceMs: earliest([firstEvent, lastFinished]),
      evidence: [lastLine ?? '', memoryLine(view.pod, view.container.name)],
    };
  }
  if (restarts >= GRACE.crashRestarts) {
    return {
      reason: 'CrashLoopBackOff',
      level: 'critical',
      verb: 'crash-looping',
      sinceMs: earliest([firstEvent, lastFinished]),
      evidence: [lastLine ?? `${view.label}: back-off restarting, ${restarts} restarts`],
    };
  }
  return undefined;
}

function imagePullIssue(view: ContainerView): PodIssue | undefined {
  const { pod, container, init, context, reason } = view;
  const immediate = reason === 'InvalidImageName' || reason === 'ErrImageNeverPull';
  if (!immediate && context.now - view.startedMs < GRACE.imagePullMs) return undefined;
  const image =
    pod.spec?.[init ? 'initContainers' : 'containers']?.find((c) => c.name === container.name)?.image ??
    container.image;
  const pullEvent = latest(
    context.events.filter((event) => event.reason === 'Failed' || event.reason === 'ErrImagePull'),
  );
  return {
    reason: reason === 'ErrImagePull' ? 'ImagePullBackOff' : reason,
    level: 'critical',
    verb: immediate ? `unable to start (${reason})` : 'failing to pull their image',
    sinceMs: earliest([view.firstEvent, view.startedMs]),
    evidence: [
      `${view.label}: ${reason}${image ? ` for image ${image}` : ''}`,
      pullEvent?.message ?? container.state?.waiting?.message ?? '',
    ],
  };
}

function configIssue(view: ContainerView): PodIssue {
  const { reason } = view;
  return {
    reason,
    level: 'critical',
    verb:
      reason === 'CreateContainerConfigError'
        ? 'failing to start: missing configuration'
        : `failing to start (${reason})`,
    sinceMs: earliest([view.firstEvent, view.startedMs]),
    evidence: [`${view.label}: ${view.container.state?.waiting?.message ?? reason}`],
  };
}

/** Stopped with an error (an init container of a running pod is done, whatever it exited with). */
function terminatedIssue({ pod, container, init, label }: ContainerView): PodIssue | undefined {
  const terminated = container.state?.terminated;
  if (!terminated || (terminated.exitCode ?? 0) === 0 || (init && pod.status?.phase === 'Running')) return undefined;
  return {
    reason: terminated.reason === 'OOMKilled' ? 'OOMKilled' : 'Error',
    level: 'high',
    verb: terminated.reason === 'OOMKilled' ? 'OOM-killed' : 'terminated with an error',
    sinceMs: toMs(terminated.finishedAt),
    evidence: [
      `${label}: terminated ${terminated.reason ?? ''}, exit code ${terminated.exitCode}`,
      terminated.reason === 'OOMKilled' ? memoryLine(pod, container.name) : '',
    ],
  };
}

/** Crashed recently but running again: a restart within the window. */
function recentCrashIssue(view: ContainerView): PodIssue | undefined {
  const { init, last, restarts, lastFinished, context } = view;
  if (
    init ||
    !last ||
    restarts <= 0 ||
    lastFinished === undefined ||
    context.now - lastFinished > context.sinceMs ||
    !(last.reason === 'OOMKilled' || (last.exitCode ?? 0) !== 0)
  )
    return undefined;
  const oom = last.reason === 'OOMKilled';
  return {
    reason: oom ? 'OOMKilled' : 'RecentCrash',
    level: 'warning',
    verb: oom
      ? `OOM-killed ${formatAge(context.now - lastFinished)} ago, running again`
      : `restarted after a crash ${formatAge(context.now - lastFinished)} ago`,
    sinceMs: lastFinished,
    evidence: [view.lastLine ?? '', oom ? memoryLine(view.pod, view.container.name) : ''],
  };
}

function podLevelIssue(pod: Pod, context: PodIssueContext, firstEvent: number | undefined): PodIssue | undefined {
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const scheduled = conditions.find((condition) => condition.type === 'PodScheduled');
  if (status.phase === 'Pending' && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const event = latest(context.events.filter((e) => e.reason === 'FailedScheduling'));
    const message = event?.message ?? scheduled.message ?? '';
    const classes = classifySchedulingMessage(message);
    return {
      reason: 'Unschedulable',
      level: 'high',
      verb: `pending: cannot be scheduled${classes.length ? ` (${classes.join(', ')})` : ''}`,
      sinceMs: toMs(scheduled.lastTransitionTime) ?? toMs(pod.metadata.creationTimestamp),
      evidence: [message],
    };
  }
  const creating = (status.containerStatuses ?? []).some(
    (c) => c.state?.waiting?.reason === 'ContainerCreating' || c.state?.waiting?.reason === 'PodInitializing',
  );
  if (status.phase === 'Pending' && (creating || (status.containerStatuses ?? []).length === 0)) {
    const created = toMs(pod.metadata.creationTimestamp) ?? context.now;
    const event = latest(
      context.events.filter((e) =>
        ['FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox'].includes(e.reason ?? ''),
      ),
    );
    if (event && context.now - created > GRACE.imagePullMs) {
      return {
        reason: event.reason ?? 'ContainerCreating',
        level: 'high',
        verb: `stuck in ContainerCreating (${event.reason})`,
        sinceMs: eventFirstSeen(event),
        evidence: [event.message ?? ''],
      };
    }
    if (creating && context.now - created > GRACE.creatingMs) {
      return {
        reason: 'ContainerCreating',
        level: 'high',
        verb: `stuck in ContainerCreating for ${formatAge(context.now - created)}`,
        sinceMs: created,
        evidence: [],
      };
    }
    return undefined;
  }
  const ready = conditions.find((condition) => condition.type === 'Ready');
  if (status.phase === 'Running' && ready && ready.status !== 'True') {
    const notReadySince = toMs(ready.lastTransitionTime) ?? toMs(status.startTime) ?? context.now;
    if (context.now - notReadySince < GRACE.notReadyMs) return undefined;
    const probe = latest(context.events.filter((e) => e.reason === 'Unhealthy'));
    return {
      reason: probe ? 'Unhealthy' : 'NotReady',
      level: 'high',
      verb: probe ? 'running but not ready (probe failing)' : 'running but not ready',
      sinceMs: earliest([notReadySince, firstEvent]),
      evidence: [
        probe?.message ??
          `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''} for ${formatAge(context.now - notReadySince)}`,
      ],
    };
  }
  if (status.phase === 'Failed') {
    return {
      reason: 'Failed',
      level: 'warning',
      verb: 'failed',
      sinceMs: toMs(status.startTime),
      evidence: [status.message ?? status.reason ?? 'phase Failed'],
    };
  }
  return undefined;
}

function stuckTerminating(pod: Pod, now: number): PodIssue | undefined {
  const deleted = toMs(pod.metadata.deletionTimestamp);
  if (deleted === undefined) return undefined;
  // deletionTimestamp is already "request time + grace period": kubelet should be done by then.
  if (now - deleted < GRACE.terminatingMs) return undefined;
  return {
    reason: 'Terminating',
    level: 'warning',
    verb: 'stuck terminating',
    sinceMs: deleted,
    evidence: [
      `deletion requested; past its grace period by ${formatAge(now - deleted)}${pod.metadata.deletionGracePeriodSeconds !== undefined ? ` (grace ${pod.metadata.deletionGracePeriodSeconds}s)` : ''}`,
    ],
  };
}

/** The scheduler's reasons, as Robusta classifies them: several may apply at once. */
export function classifySchedulingMessage(message: string): string[] {
  const classes: string[] = [];
  const add = (test: boolean, name: string) => test && !classes.includes(name) && classes.push(name);
  add(/Insufficient [^\s,/]+\/gpu/i.test(message), 'insufficient GPU');
  add(/Insufficient memory/i.test(message), 'insufficient memory');
  add(/Insufficient cpu/i.test(message), 'insufficient cpu');
  add(/untolerated taint|had taint .*that the pod didn't tolerate/i.test(message), 'untolerated taint');
  add(/were unschedulable/i.test(message), 'nodes cordoned');
  add(
    /didn't match (Pod's node affinity|pod affinity|pod anti-affinity|node selector)/i.test(message),
    'affinity/selector',
  );
  add(
    /persistentvolumeclaim .* not found|unbound immediate PersistentVolumeClaims|unbound PersistentVolumeClaims/i.test(
      message,
    ),
    'unbound PVC',
  );
  add(/Too many pods/i.test(message), 'too many pods');
  return classes;
}

function memoryLine(pod: Pod, name: string): string {
  const container = pod.spec?.containers?.find((c) => c.name === name);
  const limit = parseQuantity(container?.resources?.limits?.memory);
  const request = parseQuantity(container?.resources?.requests?.memory);
  const parts = [`memory limit ${limit === undefined ? 'none (no limit)' : `${memoryMi(limit)}Mi`}`];
  if (request !== undefined) parts.push(`request ${memoryMi(request)}Mi`);
  return `container ${name}: ${parts.join(', ')}`;
}

function earliest(times: readonly (number | undefined)[]): number | undefined {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.min(...known) : undefined;
}

function latest(events: readonly KEvent[]): KEvent | undefined {
  let best: KEvent | undefined;
  for (const event of events) if (!best || (eventLastSeen(event) ?? 0) > (eventLastSeen(best) ?? 0)) best = event;
  return best;
}
