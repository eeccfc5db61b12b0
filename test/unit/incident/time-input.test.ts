import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { parseDueInput, parseTimeInput } from '../../../src/time-input.js';

// Clock times are local: pin the zone so the expectations hold on every machine.
let previousTz: string | undefined;
beforeAll(() => {
  previousTz = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const clock = new FakeClock('2026-05-01T14:30:00Z');
const iso = (text: string) => parseTimeInput(text, clock).toISOString();

describe('parseTimeInput', () => {
  it('reads a clock time as today', () => {
    expect(iso('14:02')).toBe('2026-05-01T14:02:00.000Z');
    expect(iso('9:05:30')).toBe('2026-05-01T09:05:30.000Z');
  });

  it('reads a clock time still ahead today as yesterday (never the future)', () => {
    expect(iso('23:50')).toBe('2026-04-30T23:50:00.000Z');
  });

  it('reads relative times', () => {
    expect(iso('10 minutes ago')).toBe('2026-05-01T14:20:00.000Z');
    expect(iso('15m ago')).toBe('2026-05-01T14:15:00.000Z');
    expect(iso('1h30m')).toBe('2026-05-01T13:00:00.000Z');
    expect(iso('an hour ago')).toBe('2026-05-01T13:30:00.000Z');
  });

  it('reads ISO-8601', () => {
    expect(iso('2026-05-01T13:58:00Z')).toBe('2026-05-01T13:58:00.000Z');
    expect(iso('2026-05-01T15:58:00+02:00')).toBe('2026-05-01T13:58:00.000Z');
  });

  it('refuses the future and nonsense, saying what is accepted', () => {
    expect(() => parseTimeInput('2026-05-01T15:00:00Z', clock, { what: '--at' })).toThrow(/--at .* is in the future/);
    expect(() => parseTimeInput('in 10 minutes', clock)).toThrow(/future/);
    expect(() => parseTimeInput('soonish', clock)).toThrow(/cannot understand time "soonish"/);
    expect(() => parseTimeInput('25:00', clock)).toThrow(/invalid time/);
  });
});

describe('parseDueInput', () => {
  it('keeps plain dates and resolves relative ones forward', () => {
    expect(parseDueInput('2026-06-01', clock)).toBe('2026-06-01');
    expect(parseDueInput('in 3 days', clock).slice(0, 10)).toBe('2026-05-04');
    expect(() => parseDueInput('whenever', clock)).toThrow(/due date/);
  });

  it('keeps a day without a time as a date, and a time of day as an instant', () => {
    // The clock is Friday 2026-05-01: "friday" forward is the 8th, "monday" the 4th.
    expect(parseDueInput('friday', clock)).toBe('2026-05-08');
    expect(parseDueInput('in 3 days', clock)).toBe('2026-05-04');
    expect(parseDueInput('monday 17:00', clock)).toBe(new Date(2026, 4, 4, 17, 0).toISOString());
  });
});

describe('sinceTime', () => {
  it('reads a duration as that long ago, anything else as a time', async () => {
    const { sinceTime } = await import('../../../src/incident/since.js');
    expect(sinceTime('10m', clock).toISOString()).toBe('2026-05-01T14:20:00.000Z');
    expect(sinceTime('1h30m', clock).toISOString()).toBe('2026-05-01T13:00:00.000Z');
    expect(sinceTime('14:00', clock).toISOString()).toBe('2026-05-01T14:00:00.000Z');
    expect(() => sinceTime('whenever', clock)).toThrow(/--since/);
  });
});
