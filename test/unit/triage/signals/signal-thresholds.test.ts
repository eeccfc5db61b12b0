import { describe, expect, it } from 'vitest';
import {
  crossedSince,
  errorRatioVerdict,
  latencyVerdict,
  DEFAULT_THRESHOLDS as T,
  trafficVerdict,
} from '../../../../src/triage/signals/signal-thresholds.js';

describe('signal thresholds', () => {
  it('make a 5xx ratio critical at 5 % and five times the baseline', () => {
    expect(errorRatioVerdict(0.18, 0.002, T)).toBe('critical');
    expect(errorRatioVerdict(0.05, 0.01, T)).toBe('critical');
    expect(errorRatioVerdict(0.049, 0.001, T)).toBe('warning');
    // Below the critical level, as bad as usual: not a new problem.
    expect(errorRatioVerdict(0.03, 0.02, T)).toBeUndefined();
    expect(errorRatioVerdict(0.005, 0.0001, T)).toBeUndefined();
    // A baseline itself over 5 % is no reference of normal: an incident twenty minutes old fills a third
    // of the baseline hour (30 % failing reads as a 10 % baseline). The threshold alone decides.
    expect(errorRatioVerdict(0.3, 0.1, T)).toBe('critical');
    expect(errorRatioVerdict(0.2, 0.18, T)).toBe('critical');
    expect(errorRatioVerdict(0.04, 0.06, T)).toBeUndefined();
  });

  it('let the absolute thresholds alone decide without a baseline', () => {
    expect(errorRatioVerdict(0.3, undefined, T)).toBe('critical');
    expect(errorRatioVerdict(0.003, undefined, T)).toBeUndefined();
    // A warning needs history: a few percent of a short sample can be noise.
    expect(errorRatioVerdict(0.014, undefined, T)).toBeUndefined();
    expect(latencyVerdict(1.5, undefined, T)).toBe('warning');
    expect(latencyVerdict(0.2, undefined, T)).toBeUndefined();
    expect(trafficVerdict(0, undefined, T)).toBeUndefined();
  });

  it('make p99 latency a finding at twice the baseline above the floor, critical at five times', () => {
    expect(latencyVerdict(0.9, 0.4, T)).toBe('warning');
    expect(latencyVerdict(1.2, 0.12, T)).toBe('critical');
    expect(latencyVerdict(0.3, 0.1, T)).toBeUndefined();
    expect(latencyVerdict(0.7, 0.4, T)).toBeUndefined();
  });

  it('see a traffic drop of half the baseline or more, on a busy enough workload', () => {
    expect(trafficVerdict(10, 20, T)).toBe('warning');
    expect(trafficVerdict(11, 20, T)).toBeUndefined();
    expect(trafficVerdict(0, 0.05, T)).toBeUndefined();
  });

  it('date a crossing from the start of the last unbroken run of points over the threshold', () => {
    const points: [number, number][] = [
      [1000, 0.5],
      [2000, 0.01],
      [3000, 0.2],
      [4000, 0.3],
    ];
    expect(crossedSince(points, (v) => v >= 0.05)).toBe(3000);
    expect(crossedSince([...points, [5000, 0.001]], (v) => v >= 0.05)).toBeUndefined();
    expect(crossedSince([], (v) => v >= 0.05)).toBeUndefined();
  });
});
