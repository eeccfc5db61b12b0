import * as chrono from 'chrono-node';
import type { Clock } from './clock.js';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';

export interface ParseTimeOptions {
  /** What the time is for, in messages: "--at", "--impact-started". */
  what?: string;
  /** Allow a time in the future (due dates); by default past-only. */
  allowFuture?: boolean;
}

const CLOCK_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DURATION_AGO = /^(\d[\dhms.]*)\s*(ago)?$/i;

/**
 * Parses a time given by a person, relative to the injected clock:
 * "14:02" (today, local time; yesterday if that is still ahead), "10 minutes ago", "10m ago",
 * "yesterday 23:50", or ISO-8601. Times in the future are refused unless `allowFuture`.
 */
export function parseTimeInput(text: string, clock: Clock, options: ParseTimeOptions = {}): Date {
  const what = options.what ?? 'time';
  const input = text.trim();
  const now = clock.now();
  const date = parseAny(input, now, what);
  if (!date || Number.isNaN(date.getTime())) {
    throw new UsageError(`cannot understand ${what} "${text}"`, {
      hint: 'use a clock time (14:02), a relative time ("10 minutes ago", "15m ago") or ISO-8601 (2026-05-01T14:02:00Z)',
    });
  }
  if (!options.allowFuture && date.getTime() > now.getTime() + 1000) {
    throw new UsageError(`${what} "${text}" is in the future (${date.toISOString()}); it must be in the past`, {
      hint: 'give the time it already happened, e.g. 14:02 or "10 minutes ago"',
    });
  }
  return date;
}

function parseAny(input: string, now: Date, what: string): Date | undefined {
  const clockTime = CLOCK_TIME.exec(input);
  if (clockTime) return mostRecentClockTime(clockTime, now, what);
  if (ISO_LIKE.test(input)) return new Date(input.includes('T') || input.includes(' ') ? input : `${input}T00:00:00`);
  const ago = DURATION_AGO.exec(input);
  if (ago?.[1] && /[hms]/.test(ago[1])) return new Date(now.getTime() - parseDuration(ago[1], what));
  assertValidClockTimes(input, what);
  return chrono.parseDate(input, now, { forwardDate: false }) ?? undefined;
}

/** "yesterday 99:99" must not become some other time: every clock time in the text must exist. */
function assertValidClockTimes(input: string, what: string): void {
  for (const match of input.matchAll(/(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])/g)) {
    if (Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59) {
      throw new UsageError(`invalid ${what} "${input}": ${match[0]} is not a time of day`, {
        hint: 'use a 24-hour clock time such as 14:02, e.g. "yesterday 23:50"',
      });
    }
  }
}

/** "14:02" means the latest 14:02 that is not in the future: today's, or yesterday's. */
function mostRecentClockTime(match: RegExpExecArray, now: Date, what: string): Date {
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw new UsageError(`invalid ${what} "${match[0]}"`, { hint: 'use a 24-hour clock time such as 14:02' });
  }
  const date = new Date(now);
  date.setHours(hours, minutes, seconds, 0);
  if (date.getTime() > now.getTime()) date.setDate(date.getDate() - 1);
  return date;
}

/** Parses a due date for an action item ("friday", "2026-06-01", "in 3 days"): future allowed. */
export function parseDueInput(text: string, clock: Clock): string {
  const input = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(input)) return input;
  const [parsed] = chrono.parse(input, clock.now(), { forwardDate: true });
  if (!parsed) {
    throw new UsageError(`cannot understand due date "${text}"`, {
      hint: 'use a date such as 2026-06-01, "friday" or "in 3 days"',
    });
  }
  const date = parsed.start.date();
  // "friday" is a day, not friday at noon: without a time of day the due date is the (local) date.
  if (!parsed.start.isCertain('hour')) return localDate(date);
  return date.toISOString();
}

function localDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
