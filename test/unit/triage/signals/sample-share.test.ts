import { describe, expect, it } from 'vitest';
import { wholeWorkloadRate } from '../../../../src/triage/signals/sample-share.js';
import type { SignalSeries } from '../../../../src/triage/signals/signal-types.js';

const pod = (name: string, now: number, baseline: number | undefined, startedMs: number): SignalSeries => ({
  query: 'requests',
  target: { namespace: 'shop', pod: name },
  now,
  ...(baseline === undefined ? {} : { baseline }),
  startedMs,
  points: [],
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('the request rate of a workload whose pods were sampled', () => {
  // Twelve pods serve 40/s, 3.33/s each; three served 60/s alone before a scale-up at t=1000.
  const old = [0, 1, 2].map((i) => ({ startedMs: 100 + i }));
  const added = Array.from({ length: 9 }, (_, i) => ({ startedMs: 1_100 + i }));
  const serving = [...old, ...added];

  it('is the sample times the pods it stands for: now over every pod, the baseline over those from before the scale-up', () => {
    // Ten read: two of the three old pods (17.2/s each since start) and eight added ones.
    const read = [pod('a', 40 / 12, 17.2, 100), pod('b', 40 / 12, 17.2, 101)];
    for (let i = 0; i < 8; i += 1) read.push(pod(`n${i}`, 40 / 12, 3, 1_100 + i));
    const sampled = { now: sum(read.map((s) => s.now ?? 0)), baseline: 34.4, points: [] };
    const whole = wholeWorkloadRate(sampled, read, serving, 1_000);
    expect(whole.now).toBeCloseTo(40, 6);
    expect(whole.baseline).toBeCloseTo(51.6, 6);
    expect(whole.read).toEqual({ pods: 10, of: 12 });
  });

  it('without a scale-up, the baseline stands for every pod', () => {
    const read = [pod('a', 5, 4, 100), pod('b', 5, 4, 101)];
    const whole = wholeWorkloadRate({ now: 10, baseline: 8, points: [] }, read, old.concat(old), undefined);
    expect(whole.now).toBeCloseTo(30, 6);
    expect(whole.baseline).toBeCloseTo(24, 6);
  });

  it('changes nothing when every serving pod was read, or none', () => {
    const read = old.map((p, i) => pod(`p${i}`, 10, 20, p.startedMs));
    const figure = { now: 30, baseline: 60, points: [] };
    expect(wholeWorkloadRate(figure, read, old, 1_000)).toEqual(figure);
    expect(wholeWorkloadRate(figure, [], serving, 1_000)).toEqual(figure);
  });

  it('keeps a baseline that no pod from before the scale-up was read for as it is (absent)', () => {
    const read = [pod('n0', 4, 3, 1_100)];
    const whole = wholeWorkloadRate({ now: 4, points: [] }, read, serving, 1_000);
    expect(whole.now).toBeCloseTo(48, 6);
    expect(whole.baseline).toBeUndefined();
  });
});
