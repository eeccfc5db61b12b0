import { InterruptedError } from './errors.js';

/**
 * Where time comes from, and the one way to wait. Everything that needs "now" or a pause takes a
 * Clock, so tests can fix or fast-forward it; nothing else reads the system time or sets a timer.
 */
export interface Clock {
  now(): Date;
  /** Waits `ms` on this clock; rejects with InterruptedError as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Waits in real time: the one timer of inc outside the simulator. */
function sleepRealTime(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => new Date(), sleep: sleepRealTime };

/** A clock that always says `at` and waits in real time (a derivation "as of" an instant). */
export function fixedClock(at: Date): Clock {
  return { now: () => at, sleep: sleepRealTime };
}

/**
 * A clock that starts at a fixed instant and then advances with real elapsed time.
 * `INC_NOW` uses it so scripted runs and tests get reproducible timestamps.
 */
export function offsetClock(start: Date, base: Clock = systemClock): Clock {
  const startedAt = base.now().getTime();
  return {
    now: () => new Date(start.getTime() + (base.now().getTime() - startedAt)),
    sleep: (ms, signal) => base.sleep(ms, signal),
  };
}

/** A clock that only moves when told to, or when something sleeps on it; for tests. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Advances at once by `ms`: a wait in a test takes no real time. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new InterruptedError();
    this.current += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

/** Sleeps on the clock; false instead of a rejection when the signal aborts, for loops that Ctrl-C simply ends. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch (error) {
    if (error instanceof InterruptedError) return false;
    throw error;
  }
}

/**
 * Calls `probe` until it returns a value, pausing `intervalMs` on the clock between calls, and
 * gives up once `timeoutMs` have passed (the last call falls on the deadline): the value, or
 * undefined on timeout so the caller can say what did not happen. Rejects with InterruptedError
 * when the signal aborts; an error of the probe ends the wait too.
 */
export async function pollUntil<T>(
  clock: Clock,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
  intervalMs = 500,
): Promise<T | undefined> {
  const deadline = clock.now().getTime() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - clock.now().getTime();
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(intervalMs, left), signal);
  }
}
