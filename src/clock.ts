/** Where time comes from. Everything that needs "now" takes a Clock so tests can fix or fast-forward it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at a fixed instant and then advances with real elapsed time.
 * `INC_NOW` uses it so scripted runs and tests get reproducible timestamps.
 */
export function offsetClock(start: Date, base: Clock = systemClock): Clock {
  const startedAt = base.now().getTime();
  return { now: () => new Date(start.getTime() + (base.now().getTime() - startedAt)) };
}

/** A clock that only moves when told to; for tests. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
