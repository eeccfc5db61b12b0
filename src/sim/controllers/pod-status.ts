/**
 * The pod status a kubelet reports, computed from the pod's behaviour, its start and "now":
 * phase, conditions, container states with restart counts and last states, IPs, QoS class.
 * The same inputs always give the same status, so the kubelet only writes when it changes.
 */
import type { SimObject } from '../cluster-state.js';
import {
  type Behavior,
  type ContainerLife,
  containerBehavior,
  containerLife,
  goDuration,
  runPolicyOf,
} from './pod-timeline.js';
import { containersOf } from './resources.js';
import { type Dict, fnv32a, hexDigest, iso } from './util.js';

export function podRef(pod: SimObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function fullImageName(image: string): string {
  const first = image.split('/')[0]!;
  if (!image.includes('/')) return `docker.io/library/${image}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${image}`;
  return image;
}

export function pullError(fullImage: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${fullImage}": failed to resolve reference "${fullImage}": ${fullImage}: not found`;
}

export function fnvish(text: string): number {
  return fnv32a(text);
}

export function imageSize(image: string): number {
  return 20_000_000 + (fnvish(image) % 80_000_000);
}

export function containerID(pod: SimObject, container: string, run: number): string {
  return `containerd://${digest(`${pod.metadata.uid}/${container}/${run}`)}`;
}

function digest(text: string): string {
  return hexDigest(text);
}

function containerStatus(pod: SimObject, container: Dict, behavior: Behavior, life: ContainerLife): Dict {
  const image = String(container.image ?? '');
  const name = String(container.name);
  const base: Dict = { name, image, imageID: '', ready: false, restartCount: life.restartCount, started: false };
  const idFor = (run: number) => containerID(pod, name, run);
  const pulled = () => {
    const full = fullImageName(image.includes(':') || image.includes('@') ? image : `${image}:latest`);
    base.image = full;
    base.imageID = `${full.split(':')[0]}@sha256:${digest(image)}`;
  };
  const terminated = (run: { startedAt: number; finishedAt?: number }, runIndex: number) => ({
    terminated: {
      exitCode: behavior === 'oom' ? 137 : 1,
      reason: behavior === 'oom' ? 'OOMKilled' : 'Error',
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt ?? run.startedAt),
      containerID: idFor(runIndex),
    },
  });
  const phase = life.phase;
  base.lastState = {};
  switch (phase.kind) {
    case 'creating':
      base.state = { waiting: { reason: 'ContainerCreating' } };
      break;
    case 'pull-error':
      base.state = {
        waiting:
          phase.reason === 'ErrImagePull'
            ? { reason: 'ErrImagePull', message: pullError(fullImageName(image)) }
            : {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${image}": ErrImagePull: ${pullError(fullImageName(image))}`,
              },
      };
      break;
    case 'running':
      pulled();
      base.state = { running: { startedAt: iso(phase.startedAt) } };
      base.ready = phase.ready;
      base.started = true;
      base.containerID = idFor(life.restartCount);
      if (life.finished.length > 0) {
        base.lastState = terminated(life.finished[life.finished.length - 1]!, life.finished.length - 1);
      }
      break;
    case 'terminated':
      pulled();
      base.state = {
        terminated: {
          exitCode: phase.exitCode,
          reason: phase.reason,
          startedAt: iso(phase.startedAt),
          finishedAt: iso(phase.finishedAt),
          containerID: idFor(life.restartCount),
        },
      };
      base.containerID = idFor(life.restartCount);
      break;
    case 'backoff':
      pulled();
      base.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(phase.backoffMs)} restarting failed container=${name} pod=${podRef(pod)}`,
        },
      };
      base.lastState = terminated(life.current!, life.restartCount);
      base.containerID = idFor(life.restartCount);
      break;
  }
  return base;
}

/** The status the kubelet reports for a pod started at `start`, as of `now`. */
export function computePodStatus(pod: SimObject, node: SimObject | undefined, start: number, now: number): Dict {
  const previous = (pod.status ?? {}) as Dict;
  const containers = containersOf(pod);
  const policy = runPolicyOf(pod);
  const lives = containers.map((container, index) => {
    const behavior = containerBehavior(pod, container, index);
    return { container, behavior, life: containerLife(behavior, start, now, policy) };
  });
  const statuses = lives.map(({ container, behavior, life }) => containerStatus(pod, container, behavior, life));
  const running = lives.every(({ life }) => life.current !== undefined);
  const unready = statuses.filter((s) => s.ready !== true).map((s) => s.name);
  const readySince = Math.max(
    start,
    ...lives.map(({ life }) => (life.phase.kind === 'running' ? life.phase.readySince : start)),
  );
  const hostIP = nodeIP(node);
  const scheduled = ((previous.conditions as Dict[] | undefined) ?? []).find((c) => c.type === 'PodScheduled');
  const ended = lives.map(({ life }) => life.phase).filter((p) => p.kind === 'terminated');
  const terminal = containers.length > 0 && ended.length === containers.length;
  const completedAt = Math.max(start, ...ended.map((p) => p.finishedAt));
  const readyCondition = (type: string) =>
    terminal
      ? { type, status: 'False', lastProbeTime: null, lastTransitionTime: iso(completedAt), reason: 'PodCompleted' }
      : unready.length === 0
        ? { type, status: 'True', lastProbeTime: null, lastTransitionTime: iso(readySince) }
        : {
            type,
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: iso(start),
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${unready.join(' ')}]`,
          };
  const out: Dict = {
    phase: terminal
      ? ended.some((p) => p.exitCode !== 0)
        ? 'Failed'
        : 'Succeeded'
      : running || lives.some(({ life }) => life.phase.kind === 'backoff')
        ? 'Running'
        : 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start + 1000) },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
      readyCondition('Ready'),
      readyCondition('ContainersReady'),
      scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: podIP(pod, node),
    podIPs: [{ ip: podIP(pod, node) }],
    startTime: iso(start),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
  return out;
}

export function nodeIP(node: SimObject | undefined): string {
  const addresses = (((node?.status ?? {}) as Dict).addresses as Dict[] | undefined) ?? [];
  return String(addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.10');
}

export function podIP(pod: SimObject, node: SimObject | undefined): string {
  const cidr = String(((node?.spec ?? {}) as Dict).podCIDR ?? '10.244.0.0/24');
  const prefix = cidr.split('.').slice(0, 3).join('.');
  return `${prefix}.${2 + (fnvish(pod.metadata.uid ?? pod.metadata.name) % 250)}`;
}

function qosClass(pod: SimObject): string {
  const containers = containersOf(pod).map((c) => (c.resources ?? {}) as { requests?: Dict; limits?: Dict });
  if (containers.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  const guaranteed = containers.every(
    (r) =>
      r.limits?.cpu &&
      r.limits?.memory &&
      (!r.requests || (r.requests.cpu === r.limits.cpu && r.requests.memory === r.limits.memory)),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
