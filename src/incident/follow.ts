import { type Clock, sleepUnlessAborted } from '../clock.js';
import type { IncidentEvent } from './event.js';
import { holdsEvent, sortEvents } from './incidents.js';
import { type LogIssue, readLog } from './store.js';

export interface FollowOptions {
  clock: Clock;
  /** Stops following when aborted (Ctrl-C, or a timeout). */
  signal: AbortSignal;
  intervalMs: number;
  /** Ids already shown. */
  seen: Set<string>;
  onEvents(events: IncidentEvent[]): void;
  onIssue(issue: LogIssue): void;
  /** The id of the followed incident's `declared` event: a file that stops holding it no longer holds this incident. */
  declaredId?: string;
  /**
   * Where the incident's log is now, asked once the file no longer holds it (a sync gave the incident
   * another id because a teammate's took its id); undefined ends the follow.
   */
  relocate?(): Promise<string | undefined>;
}

/**
 * Polls an events file and reports events not seen yet, until the signal aborts. Polling (not
 * fs.watch) works the same on every filesystem, network mounts included.
 */
export async function followLog(file: string, options: FollowOptions): Promise<void> {
  let reported = new Set<number>();
  while (await sleepUnlessAborted(options.clock, options.intervalMs, options.signal)) {
    const { events, issues } = await readLog(file);
    if (options.declaredId && !holdsEvent(events, options.declaredId)) {
      // Another incident's events (or none) are not this incident's: find where it went.
      const moved = await options.relocate?.();
      if (!moved) return;
      file = moved;
      reported = new Set();
      continue;
    }
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
