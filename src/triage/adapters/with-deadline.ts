import type { Clock } from '../../clock.js';

/**
 * Settles with `work`, or rejects once `ms` have passed on the clock (or the signal aborts): a slow
 * source fails its check, never holds up triage.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, clock: Clock, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    // The deadline is a sleep on the clock, stopped as soon as the work settles.
    const timer = new AbortController();
    clock.sleep(ms, timer.signal).then(
      () => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)),
      () => undefined,
    );
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      timer.abort();
      signal.removeEventListener('abort', onAbort);
    });
  });
}
