/** Where the simulator's time comes from; it shares no code with inc, its clock included. */
export interface Clock {
  now(): Date;
}

export interface SimClockOptions {
  /** The simulated instant at start (default: the base clock's now). */
  start?: Date | string;
  /** How many simulated milliseconds pass per real millisecond (default 10; 0 freezes it). */
  speed?: number;
  /** Where real time comes from; tests pass a FakeClock. */
  base?: Clock;
}

/** Called for each step of a fast-forward, so controllers can act at the times things would happen. */
export type SimClockStepListener = (now: Date) => void;

/**
 * The simulator's clock: runs `speed`× real time from `start`, and jumps forward on `advance`.
 * A fast-forward is cut into steps and every listener (the simulator's controller loop) runs after
 * each one, so a 10-minute jump leaves the history (restart counts, event timestamps) it would have had.
 */
export class SimClock implements Clock {
  readonly speed: number;
  private readonly base: Clock;
  private readonly startMs: number;
  private readonly baseStartMs: number;
  private offsetMs = 0;
  private readonly listeners = new Set<SimClockStepListener>();

  constructor(options: SimClockOptions = {}) {
    this.base = options.base ?? { now: () => new Date() };
    this.speed = options.speed ?? 10;
    if (!Number.isFinite(this.speed) || this.speed < 0) throw new RangeError(`speed must be ≥ 0, got ${this.speed}`);
    this.baseStartMs = this.base.now().getTime();
    this.startMs = options.start === undefined ? this.baseStartMs : new Date(options.start).getTime();
    if (Number.isNaN(this.startMs)) throw new RangeError(`invalid start time: ${String(options.start)}`);
  }

  now(): Date {
    return new Date(this.startMs + (this.base.now().getTime() - this.baseStartMs) * this.speed + this.offsetMs);
  }

  /** Moves simulated time forward by `ms`, in steps of at most `stepMs`, running the step listeners after each. */
  advance(ms: number, stepMs = 1000): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance by ${ms} ms`);
    let left = ms;
    while (left > 0) {
      const step = Math.min(left, Math.max(1, stepMs));
      this.offsetMs += step;
      left -= step;
      const now = this.now();
      for (const listener of this.listeners) listener(now);
    }
  }

  onStep(listener: SimClockStepListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
