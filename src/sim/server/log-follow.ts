import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { SimLogLine, SimObject, SimPodLog } from '../cluster-state.js';
import type { SimStore } from '../store.js';
import { baseHeaders } from './http.js';
import { formatLogLines } from './subresources.js';
import type { WatchRegistry } from './watch.js';

/**
 * `logs -f`: the selected lines, then each new line as the container writes it. The stream ends, as
 * the kubelet's does, when the container instance ends (its log starts over), the pod is deleted,
 * the client leaves or the simulator stops.
 */
export function followLog(
  res: ServerResponse,
  deps: { store: SimStore; clock: Clock; watches: WatchRegistry },
  pod: SimObject,
  container: string,
  initial: readonly SimLogLine[],
  timestamps: boolean,
): void {
  const { store, clock, watches } = deps;
  const namespace = pod.metadata.namespace;
  const name = pod.metadata.name;
  const current = () =>
    (store.get('PodLog', namespace, name) as SimPodLog | undefined)?.containers?.[container]?.current ?? [];
  let sent = current().length;
  res.writeHead(200, { ...baseHeaders(clock, 'text/plain'), 'Transfer-Encoding': 'chunked' });
  res.write(formatLogLines(initial, timestamps));

  const unsubscribe = store.subscribe(({ type, stored }) => {
    if (stored.object.metadata.namespace !== namespace || stored.object.metadata.name !== name) return;
    if (stored.kind === 'Pod' && type === 'DELETED') return finish();
    if (stored.kind !== 'PodLog') return;
    const lines = current();
    if (type === 'DELETED' || lines.length < sent) return finish();
    if (lines.length > sent) res.write(formatLogLines(lines.slice(sent), timestamps));
    sent = lines.length;
  });
  function finish(): void {
    unsubscribe();
    watches.delete(finish);
    if (!res.destroyed && !res.writableEnded) res.end();
  }
  watches.add(finish);
  res.on('close', finish);
}
