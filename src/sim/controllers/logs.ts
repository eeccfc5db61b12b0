/**
 * Container logs: the kubelet keeps one `PodLog` object per pod (kind PodLog, apiVersion
 * sim.inc.dev/v1, owned by the pod; the API server serves it at `pods/NAME/log`, `current` for
 * the running or last instance, `previous` for `--previous`). What a container writes follows its
 * behaviour: a crash loop logs its fatal ERROR lines before every exit, an OOM-killed one warns
 * about memory and stops mid-sentence, a healthy one starts and serves, one serving errors (behaviour
 * `errors`) logs a failed request every few seconds. The annotation `sim.inc.dev/log-error` on the
 * pod template sets the crash's error line.
 */
import type { ClusterState, SimLogLine, SimObject } from '../cluster-state.js';
import { type Behavior, containerBehavior, containerLife, type Run, runPolicyOf } from './pod-timeline.js';
import { containersOf } from './resources.js';
import { type Dict, deepEqual, ownerReference, podBehavior } from './util.js';

export const LOG_ERROR_ANNOTATION = 'sim.inc.dev/log-error';
const DEFAULT_ERROR = 'failed to connect to database at db:5432: dial tcp 10.96.14.7:5432: connect: connection refused';

type ContainerLogs = { current?: SimLogLine[]; previous?: SimLogLine[] };
type Line = [at: number, level: string, text: string];

/** A pod serving errors logs one failed request this often: a sample of its 5xx, as access logs are. */
export const FAILED_REQUEST_LOG_MS = 5_000;
/** Only the tail of a long-running pod's failures is kept, as the kubelet rotates container logs. */
const FAILED_REQUESTS_KEPT = 40;
const FAILED_PATHS = ['/v1/charges', '/v1/refunds', '/v1/charges', '/v1/payouts'];

function tagOf(image: string): string {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : 'latest';
}

function runLines(pod: SimObject, container: Dict, behavior: Behavior, run: Run, now: number): SimLogLine[] {
  const name = String(container.name);
  const version = tagOf(String(container.image ?? ''));
  const end = run.finishedAt ?? Number.POSITIVE_INFINITY;
  const lines: Line[] = [
    [run.startedAt, 'INFO', `starting ${name} version=${version}`],
    [run.startedAt + 150, 'INFO', `loaded configuration from /etc/${name}/config.yaml`],
  ];
  if (behavior === 'crashloop') {
    const error = pod.metadata.annotations?.[LOG_ERROR_ANNOTATION] ?? DEFAULT_ERROR;
    lines.push([end - 1200, 'ERROR', error]);
    lines.push([end - 5, 'ERROR', `fatal: ${name} cannot start, exiting with status 1`]);
  } else if (behavior === 'oom') {
    lines.push([run.startedAt + 1000, 'INFO', 'warming cache from snapshot']);
    lines.push([end - 2500, 'WARN', 'heap usage at 92% of the container memory limit']);
    lines.push([end - 600, 'WARN', 'heap usage at 99% of the container memory limit']);
  } else if (behavior === 'not-ready') {
    lines.push([run.startedAt + 400, 'INFO', 'listening on :8080']);
    lines.push([
      run.startedAt + 9000,
      'ERROR',
      'readiness check failed: upstream dependency returned 503 Service Unavailable',
    ]);
  } else {
    lines.push([run.startedAt + 400, 'INFO', 'listening on :8080']);
    lines.push([run.startedAt + 900, 'INFO', 'ready to serve requests']);
    if (podBehavior(pod) === 'errors') lines.push(...failedRequests(run.startedAt, Math.min(now, end)));
  }
  return lines
    .filter(([at]) => at <= now && at <= end)
    .map(([at, level, text]) => ({
      at: new Date(at).toISOString(),
      text: `${new Date(at).toISOString()} ${level} ${text}`,
    }));
}

/** The failed requests an `errors` pod logged from its start until `until`, the last few kept. */
function failedRequests(startedAt: number, until: number): Line[] {
  const first = startedAt + 2_000;
  if (until < first) return [];
  const count = Math.floor((until - first) / FAILED_REQUEST_LOG_MS) + 1;
  const lines: Line[] = [];
  for (let i = Math.max(0, count - FAILED_REQUESTS_KEPT); i < count; i++) {
    const path = FAILED_PATHS[i % FAILED_PATHS.length];
    lines.push([
      first + i * FAILED_REQUEST_LOG_MS,
      'ERROR',
      `request failed: status=500 method=POST path=${path} error="upstream ledger: connection reset by peer"`,
    ]);
  }
  return lines;
}

export function podLogContainers(pod: SimObject, start: number, now: number): Record<string, ContainerLogs> {
  const out: Record<string, ContainerLogs> = {};
  containersOf(pod).forEach((container, index) => {
    const behavior = containerBehavior(pod, container, index);
    const life = containerLife(behavior, start, now, runPolicyOf(pod));
    if (!life.current) return;
    const logs: ContainerLogs = { current: runLines(pod, container, behavior, life.current, now) };
    const previousRun =
      life.current.finishedAt !== undefined ? life.finished[life.finished.length - 2] : life.finished.at(-1);
    if (previousRun) logs.previous = runLines(pod, container, behavior, previousRun, now);
    out[String(container.name)] = logs;
  });
  return out;
}

/** Creates or refreshes the pod's PodLog; writes nothing when the logs did not change. */
export function syncPodLog(state: ClusterState, pod: SimObject, start: number, now: number): void {
  const containers = podLogContainers(pod, start, now);
  const { name, namespace } = pod.metadata;
  const existing = state.get('PodLog', namespace, name);
  if (!existing) {
    if (Object.keys(containers).length === 0) return;
    state.create({
      apiVersion: 'sim.inc.dev/v1',
      kind: 'PodLog',
      metadata: {
        name,
        namespace,
        ownerReferences: [{ ...ownerReference(pod), controller: false, blockOwnerDeletion: false }],
      },
      containers,
    });
    return;
  }
  if (deepEqual(existing.containers, containers)) return;
  state.update({ ...existing, containers });
}
