import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../../src/incident/describe.js';

let previousTz: string | undefined;
beforeEach(() => {
  previousTz = process.env.TZ;
});
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('local times around the end of summer time', () => {
  it('gives the offset of a time the clock shows twice, so two events of one wall time tell apart', () => {
    process.env.TZ = 'Europe/Berlin';
    // 02:00–03:00 is lived twice on 2026-10-25: first at UTC+2, then at UTC+1.
    expect(formatLocalTime('2026-10-25T00:50:00Z')).toBe('02:50:00 (UTC+02:00)');
    expect(formatLocalTime('2026-10-25T01:50:00Z', { seconds: false })).toBe('02:50 (UTC+01:00)');
    expect(formatLocalTime('2026-10-25T02:30:00Z', { date: true })).toBe('2026-10-25 03:30:00');
    expect(formatLocalTime('2026-10-24T23:50:00Z')).toBe('01:50:00');
    process.env.TZ = 'America/New_York';
    expect(formatLocalTime('2026-11-01T05:35:00Z', { seconds: false })).toBe('01:35 (UTC-04:00)');
    expect(formatLocalTime('2026-11-01T06:21:00Z', { seconds: false })).toBe('01:21 (UTC-05:00)');
    // The hour skipped in spring is never ambiguous.
    expect(formatLocalTime('2026-03-08T07:30:00Z', { seconds: false })).toBe('03:30');
  });

  it('leaves times in a zone without summer time as they were', () => {
    process.env.TZ = 'UTC';
    expect(formatLocalTime('2026-10-25T01:50:00Z', { date: true })).toBe('2026-10-25 01:50:00');
  });
});
