import { describe, expect, it } from 'vitest';
import { FakeClock, offsetClock, pollUntil, sleepUnlessAborted, systemClock } from '../../src/clock.js';
import { InterruptedError } from '../../src/errors.js';

const START = '2026-01-01T00:00:00.000Z';

/** A probe that records when it was called on the clock, and answers from a script. */
function scriptedProbe<T>(clock: FakeClock, answers: (T | undefined)[]) {
  const calls: string[] = [];
  const probe = async () => {
    calls.push(clock.now().toISOString().slice(17, 23));
    return answers.shift();
  };
  return { calls, probe };
}

describe('pollUntil on a fake clock', () => {
  it('returns the first value the probe gives, pausing the interval between calls', async () => {
    const clock = new FakeClock(START);
    const { calls, probe } = scriptedProbe(clock, [undefined, undefined, 'ready']);
    await expect(pollUntil(clock, undefined, 10_000, probe, 500)).resolves.toBe('ready');
    expect(calls).toEqual(['00.000', '00.500', '01.000']);
  });

  it('gives up at the deadline with undefined, the last call falling on the deadline', async () => {
    const clock = new FakeClock(START);
    const { calls, probe } = scriptedProbe<string>(clock, []);
    await expect(pollUntil(clock, undefined, 1200, probe, 500)).resolves.toBeUndefined();
    expect(calls).toEqual(['00.000', '00.500', '01.000', '01.200']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.200Z');
  });

  it('with no time at all, probes once', async () => {
    const clock = new FakeClock(START);
    const { calls, probe } = scriptedProbe<string>(clock, []);
    await expect(pollUntil(clock, undefined, 0, probe)).resolves.toBeUndefined();
    expect(calls).toEqual(['00.000']);
  });

  it('ends with the probe error, and with InterruptedError once the signal aborts', async () => {
    const clock = new FakeClock(START);
    await expect(
      pollUntil(clock, undefined, 5000, async () => {
        throw new Error('rollout failed');
      }),
    ).rejects.toThrow('rollout failed');
    const abort = new AbortController();
    let calls = 0;
    const waiting = pollUntil(clock, abort.signal, 5000, async () => {
      calls += 1;
      if (calls === 2) abort.abort();
      return undefined;
    });
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    expect(calls).toBe(2);
  });
});

describe('sleeping through the clock', () => {
  it('a fake clock advances at once; an offset clock sleeps on its base', async () => {
    const base = new FakeClock(START);
    const clock = offsetClock(new Date('2030-05-01T12:00:00Z'), base);
    await clock.sleep(90_000);
    expect(base.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
    expect(clock.now().toISOString()).toBe('2030-05-01T12:01:30.000Z');
  });

  it('sleepUnlessAborted says false instead of rejecting when the signal aborts', async () => {
    const clock = new FakeClock(START);
    const abort = new AbortController();
    await expect(sleepUnlessAborted(clock, 1000, abort.signal)).resolves.toBe(true);
    abort.abort();
    await expect(sleepUnlessAborted(clock, 1000, abort.signal)).resolves.toBe(false);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('the system clock stops its timer when the signal aborts', async () => {
    const abort = new AbortController();
    const sleeping = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    await expect(sleeping).rejects.toBeInstanceOf(InterruptedError);
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
  });
});
