import { type KubeClient, resourcePath } from '../../kube/index.js';
import { type LabelSelector, selectorToString } from '../../label-selector.js';
import type { LogStream } from '../log-search.js';

/** What `inc logs` reads: a workload's pods, one pod, or the pods a label selector matches. */
export type LogTarget =
  | { kind: 'deployment' | 'statefulset' | 'daemonset'; name: string }
  | { kind: 'pod'; name: string }
  | { kind: 'selector'; selector: string };

export interface LogFetchOptions {
  namespace: string;
  sinceSeconds?: number;
  tailLines?: number;
  previous?: boolean;
  /** Requests in flight at once (kubectl's --max-log-requests is 5). */
  concurrency?: number;
}

interface ContainerStatusLike {
  name: string;
  restartCount?: number;
  state?: { running?: unknown; terminated?: unknown; waiting?: unknown };
  lastState?: { terminated?: unknown };
}

interface PodLike {
  metadata: { name: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { containerStatuses?: ContainerStatusLike[]; initContainerStatuses?: ContainerStatusLike[] };
}

const PLURALS = { deployment: 'deployments', statefulset: 'statefulsets', daemonset: 'daemonsets' } as const;

/** The pods of the target, by name order, each with its containers. */
export async function listLogPods(kube: KubeClient, target: LogTarget, namespace: string): Promise<PodLike[]> {
  const podsPath = resourcePath({ group: '', version: 'v1', resource: 'pods', namespace });
  if (target.kind === 'pod') return [await kube.get<PodLike>(`${podsPath}/${encodeURIComponent(target.name)}`)];
  let selector: string;
  if (target.kind === 'selector') selector = target.selector;
  else {
    const path = resourcePath({
      group: 'apps',
      version: 'v1',
      resource: PLURALS[target.kind],
      namespace,
      name: target.name,
    });
    const workload = await kube.get<{ spec?: { selector?: LabelSelector } }>(path);
    // matchExpressions too: without them a selector of expressions alone lists every pod of the namespace.
    selector = selectorToString(workload.spec?.selector);
    if (selector === '') return [];
  }
  const list = await kube.list<PodLike>(podsPath, { labelSelector: selector });
  return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** `pods/NAME/log` of a pod. */
export function podLogPath(namespace: string, pod: string): string {
  return resourcePath({ group: '', version: 'v1', resource: 'pods', namespace, name: pod, subresource: 'log' });
}

/** Runs `work` over `items` with at most `limit` in flight, results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface LogFetchResult {
  streams: LogStream[];
  /** Containers whose log could not be read (a pod gone, no previous instance), with why. */
  failures: { pod: string; container: string; error: string }[];
  /** With `previous`: the containers not asked, as they never restarted (the API would answer 400). */
  neverRestarted: { pod: string; container: string }[];
}

/** A container the pod's status shows never restarted and never terminated: it has no previous instance. */
function neverRestarted(pod: PodLike, container: string): boolean {
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (entry) => entry.name === container,
  );
  return status !== undefined && (status.restartCount ?? 0) === 0 && !status.lastState?.terminated;
}

/**
 * The containers whose logs are read, as kubectl's --all-containers reads them: the init containers
 * first, those that have run (a migration crash-looping in `Init:CrashLoopBackOff` has its log
 * there, and only there), then the containers.
 */
function logContainers(pod: PodLike): string[] {
  const ran = (status: ContainerStatusLike | undefined) =>
    !!status &&
    (!!status.state?.running ||
      !!status.state?.terminated ||
      !!status.lastState?.terminated ||
      (status.restartCount ?? 0) > 0);
  const init = (pod.spec?.initContainers ?? [])
    .map((c) => c.name)
    .filter((name) => ran(pod.status?.initContainerStatuses?.find((status) => status.name === name)));
  return [...init, ...(pod.spec?.containers ?? []).map((c) => c.name)];
}

/** Every container's log of every pod, in parallel (bounded), with timestamps. */
export async function fetchPodLogs(
  kube: KubeClient,
  pods: readonly PodLike[],
  options: LogFetchOptions,
): Promise<LogFetchResult> {
  const all = pods.flatMap((pod) => logContainers(pod).map((container) => ({ pod, container })));
  const skipped = options.previous ? all.filter(({ pod, container }) => neverRestarted(pod, container)) : [];
  const jobs = all
    .filter((job) => !skipped.includes(job))
    .map(({ pod, container }) => ({ pod: pod.metadata.name, container }));
  const failures: LogFetchResult['failures'] = [];
  const streams = await mapBounded(jobs, options.concurrency ?? 25, async ({ pod, container }): Promise<LogStream> => {
    const path = podLogPath(options.namespace, pod);
    try {
      const body = await kube.request<string>({
        path,
        text: true,
        query: {
          container,
          timestamps: true,
          sinceSeconds: options.sinceSeconds,
          tailLines: options.tailLines,
          previous: options.previous || undefined,
        },
      });
      return { pod, container, body };
    } catch (error) {
      failures.push({ pod, container, error: error instanceof Error ? error.message : String(error) });
      return { pod, container, body: '' };
    }
  });
  return {
    streams,
    failures,
    neverRestarted: skipped.map(({ pod, container }) => ({ pod: pod.metadata.name, container })),
  };
}
