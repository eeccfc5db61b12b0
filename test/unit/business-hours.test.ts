import { describe, expect, it } from 'vitest';
import { addBusinessMinutes } from '../../src/business-hours.js';

const WEEK = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('addBusinessMinutes', () => {
  it('counts only the hours of the working days', () => {
    const utc = { ...WEEK, timeZone: 'UTC' };
    // Within the day.
    expect(iso(addBusinessMinutes(at('2026-10-20T10:00:00Z'), 120, utc))).toBe('2026-10-20T12:00:00.000Z');
    // Saturday night: from Monday's opening.
    expect(iso(addBusinessMinutes(at('2026-10-24T23:40:00Z'), 120, utc))).toBe('2026-10-26T11:00:00.000Z');
    // Friday late afternoon: half an hour on Friday, the rest on Monday.
    expect(iso(addBusinessMinutes(at('2026-10-23T16:30:00Z'), 120, utc))).toBe('2026-10-26T10:30:00.000Z');
    // Before the opening.
    expect(iso(addBusinessMinutes(at('2026-10-21T06:15:00Z'), 30, utc))).toBe('2026-10-21T09:30:00.000Z');
  });

  it("reads the hours in the team's time zone, across the night the clocks go back", () => {
    const berlin = { ...WEEK, timeZone: 'Europe/Berlin' };
    // Friday 2026-10-23 16:00 in Berlin is 14:00Z (summer time); Monday 10:00 is 09:00Z (winter time).
    expect(iso(addBusinessMinutes(at('2026-10-23T14:00:00Z'), 120, berlin))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('falls back to the clock when the hours cannot be worked in', () => {
    const closed = { days: ['mon'], start: '17:00', end: '09:00', timeZone: 'UTC' };
    expect(iso(addBusinessMinutes(at('2026-10-20T10:00:00Z'), 60, closed))).toBe('2026-10-20T11:00:00.000Z');
  });
});
