import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/duration.js';
import { formatElapsed } from '../../../src/report/format-time.js';

describe('formatElapsed', () => {
  it('reads whole minutes past the first, seconds before', () => {
    expect(formatElapsed(25 * 60_000 + 40_000)).toBe('25m');
    expect(formatElapsed(65 * 60_000)).toBe('1h05m');
    expect(formatElapsed(42_000)).toBe('42s');
    expect(formatElapsed(-5_000)).toBe('0s');
  });

  it('agrees with the second-rounded durations beside it: 1h59m59.985s is 2h00m in both', () => {
    const ms = 2 * 3_600_000 - 15;
    expect(formatDuration(ms)).toBe('2h00m');
    expect(formatElapsed(ms)).toBe('2h00m');
    expect(formatElapsed(59_600)).toBe('1m');
  });
});
