import { type Clock, sleepUnlessAborted } from '../../clock.js';
import type { KubeClient } from '../../kube/index.js';
import { type LogLine, parseLogStream, timeKey } from '../log-search.js';
import { type LogTarget, listLogPods, podLogPath } from './pod-logs.js';

export interface FollowLogsOptions {
  namespace: string;
  target: LogTarget;
  /** For the pods there at the start: lines newer than this, and at most this many before following. */
  sinceSeconds?: number;
  tailLines?: number;
  pattern?: RegExp;
  clock: Clock;
  /** Following ends when it aborts (Ctrl-C). */
  signal: AbortSignal;
  /** How often the pods are listed again, to pick up new ones (default 2 s). */
  pollMs?: number;
  onLine(line: LogLine): void;
  onPods?(change: { added: string[]; gone: string[] }): void;
  /** The pods found at the start (none: following waits for the first to appear). */
  onStart?(pods: string[]): void;
  onFailure?(failure: { pod: string; container: string; error: string }): void;
}

interface Followed {
  /** The time key of the last line shown, so a stream opened again skips what was shown. */
  lastKey?: string;
  lastAt?: string;
  open: boolean;
  /** A failure was reported and nothing arrived since: the retries stay quiet. */
  failing?: boolean;
}

/**
 * `inc logs -f`: follows every container of every matching pod at once, each line handed on as it
 * arrives. The pods are listed again every `pollMs`: a new pod is followed from its first line, and a
 * stream that ended (a container restarted, a dropped connection) is opened again from its last line.
 * Resolves once the signal aborts and every stream is closed.
 */
export async function followPodLogs(kube: KubeClient, options: FollowLogsOptions): Promise<void> {
  const followed = new Map<string, Followed>();
  const streams = new Set<Promise<void>>();
  let known: Set<string> | undefined;
  do {
    let pods: Awaited<ReturnType<typeof listLogPods>>;
    try {
      pods = await listLogPods(kube, options.target, options.namespace);
    } catch (error) {
      if (options.signal.aborted) break;
      // A pod target that is gone lists nothing; one that never was, or anything else, ends following with the error.
      const gone =
        (error as { status?: number }).status === 404 && options.target.kind === 'pod' && known !== undefined;
      if (!gone) throw error;
      pods = [];
    }
    const names = new Set(pods.map((pod) => pod.metadata.name));
    if (known) {
      const added = [...names].filter((name) => !known!.has(name));
      const gone = [...known].filter((name) => !names.has(name));
      if (added.length || gone.length) options.onPods?.({ added, gone });
    }
    const first = known === undefined;
    if (first) options.onStart?.([...names]);
    known = names;
    for (const pod of pods) {
      for (const container of pod.spec?.containers ?? []) {
        const key = `${pod.metadata.name}/${container.name}`;
        const state = followed.get(key) ?? { open: false };
        followed.set(key, state);
        if (state.open) continue;
        state.open = true;
        const stream = followContainer(kube, options, pod.metadata.name, container.name, state, first).finally(() => {
          state.open = false;
          streams.delete(stream);
        });
        streams.add(stream);
      }
    }
  } while (await sleepUnlessAborted(options.clock, options.pollMs ?? 2000, options.signal));
  await Promise.all([...streams]);
}

async function followContainer(
  kube: KubeClient,
  options: FollowLogsOptions,
  pod: string,
  container: string,
  state: Followed,
  atStart: boolean,
): Promise<void> {
  const path = podLogPath(options.namespace, pod);
  const again = state.lastAt !== undefined;
  const query = {
    container,
    follow: true,
    timestamps: true,
    ...(again ? { sinceTime: state.lastAt } : {}),
    ...(atStart && !again ? { sinceSeconds: options.sinceSeconds, tailLines: options.tailLines } : {}),
  };
  try {
    await kube.streamLines({ path, query, signal: options.signal }, (text) => {
      for (const line of parseLogStream({ pod, container, body: text })) {
        const key = timeKey(line.at);
        // sinceTime is inclusive and whole seconds: lines already shown come again.
        if (state.lastKey !== undefined && key <= state.lastKey) continue;
        state.lastKey = key;
        state.lastAt = line.at;
        state.failing = false;
        if (!options.pattern || options.pattern.test(line.text)) options.onLine(line);
      }
    });
  } catch (error) {
    if (!state.failing) {
      state.failing = true;
      options.onFailure?.({ pod, container, error: error instanceof Error ? error.message : String(error) });
    }
    // A container not started yet (or a pod being deleted) answers 400; the next listing tries again.
    await sleepUnlessAborted(options.clock, options.pollMs ?? 2000, options.signal);
  }
}
