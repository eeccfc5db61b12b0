/**
 * The kubelet's events for a pod, replayed from its timeline (Pulling, Pulled, Created, Started,
 * BackOff, Unhealthy, Failed, and the node's OOMKilling) with the messages a real kubelet writes.
 * Repeats of one event in a replay are written once with their count, as the recorder aggregates.
 */
import type { ClusterState, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { fnvish, fullImageName, imageSize, podRef, pullError } from './pod-status.js';
import { containerBehavior, containerEvents, runPolicyOf, type TimelineEvent } from './pod-timeline.js';
import { containersOf, podRequests } from './resources.js';
import type { Dict } from './util.js';

const KUBELET = 'kubelet';

export function replayEvents(
  state: ClusterState,
  pod: SimObject,
  node: SimObject | undefined,
  start: number,
  from: number,
  to: number,
): void {
  if (to <= from) return;
  const host = node?.metadata.name;
  containersOf(pod).forEach((container, index) => {
    const behavior = containerBehavior(pod, container, index);
    const name = String(container.name);
    // Repeats of one event (same reason and message) are written once, with their count and last time.
    const batches = new Map<string, { first: TimelineEvent; last: number; times: number; message: string }>();
    for (const event of containerEvents(behavior, start, from, to, runPolicyOf(pod))) {
      const message = eventMessage(event.what, pod, container, event.at);
      const key = `${event.reason}\u0000${message}`;
      const batch = batches.get(key);
      if (batch) {
        batch.last = event.at;
        batch.times += 1;
      } else {
        batches.set(key, { first: event, last: event.at, times: 1, message });
      }
    }
    for (const { first, last, times, message } of batches.values()) {
      if (first.what === 'oom-killing') {
        if (node) {
          recordEvent(
            state,
            node,
            'Warning',
            'OOMKilling',
            message,
            { component: 'kernel-monitor', host },
            { at: first.at },
          );
        }
        continue;
      }
      recordEvent(
        state,
        pod,
        first.type,
        first.reason,
        message,
        { component: KUBELET, host },
        {
          at: first.at,
          lastAt: last,
          times,
          fieldPath: `spec.containers{${name}}`,
        },
      );
    }
  });
}

function eventMessage(what: string, pod: SimObject, container: Dict, at: number): string {
  const image = String(container.image ?? '');
  const name = String(container.name);
  const full = fullImageName(image.includes(':') || image.includes('@') ? image : `${image}:latest`);
  switch (what) {
    case 'pulling':
      return `Pulling image "${image}"`;
    case 'pulled':
      return `Successfully pulled image "${image}" in 1.5s (1.5s including waiting). Image size: ${imageSize(image)} bytes.`;
    case 'present':
      return `Container image "${image}" already present on machine`;
    case 'created':
      return `Created container ${name}`;
    case 'started':
      return `Started container ${name}`;
    case 'backoff':
      return `Back-off restarting failed container ${name} in pod ${podRef(pod)}`;
    case 'unhealthy':
      return 'Readiness probe failed: HTTP probe failed with statuscode: 503';
    case 'pull-failed':
      return `Failed to pull image "${image}": ${pullError(full)}`;
    case 'err-image-pull':
      return 'Error: ErrImagePull';
    case 'pull-backoff':
      return `Back-off pulling image "${image}"`;
    case 'err-pull-backoff':
      return 'Error: ImagePullBackOff';
    case 'oom-killing': {
      const pid = 1000 + (fnvish(`${pod.metadata.uid}${at}`) % 30000);
      return `Memory cgroup out of memory: Killed process ${pid} (${name}) total-vm:1468532kB, anon-rss:${memoryKb(pod)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1604kB oom_score_adj:936`;
    }
    default:
      return what;
  }
}

function memoryKb(pod: SimObject): number {
  const limit = containersOf(pod)[0]?.resources as { limits?: Dict } | undefined;
  const bytes = limit?.limits?.memory
    ? podRequests({ ...pod, spec: { containers: [{ resources: { requests: limit.limits } }] } }).memory
    : 268435456;
  return Math.round(bytes / 1024);
}
