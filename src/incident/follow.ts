import type { IncidentEvent } from './event.js';
import { sortEvents } from './incidents.js';
import { type LogIssue, readLog } from './store.js';

export interface FollowOptions {
  /** Stops following when aborted (Ctrl-C, or a timeout). */
  signal: AbortSignal;
  intervalMs: number;
  /** Ids already shown. */
  seen: Set<string>;
  onEvents(events: IncidentEvent[]): void;
  onIssue(issue: LogIssue): void;
}

/**
 * Polls an events file and reports events not seen yet, until the signal aborts. Polling (not
 * fs.watch) works the same on every filesystem, network mounts included.
 */
export async function followLog(file: string, options: FollowOptions): Promise<void> {
  const reported = new Set<number>();
  while (!options.signal.aborted) {
    await sleep(options.intervalMs, options.signal);
    if (options.signal.aborted) break;
    const { events, issues } = await readLog(file);
    for (const issue of issues) {
      if (!reported.has(issue.line)) {
        reported.add(issue.line);
        options.onIssue(issue);
      }
    }
    const fresh = sortEvents(events.filter((e) => !options.seen.has(e.id)));
    for (const event of fresh) options.seen.add(event.id);
    if (fresh.length) options.onEvents(fresh);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
