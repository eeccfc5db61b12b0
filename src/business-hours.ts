/**
 * Business hours, for a target the runbooks count in them ("P3: within 2 h, business hours"): the
 * weekdays and the local hours of one time zone (the machine's unless the severity names one).
 */
export interface BusinessHours {
  /** Weekdays, `mon` … `sun`. */
  days: readonly string[];
  /** Local wall-clock times, `HH:MM`. */
  start: string;
  end: string;
  /** An IANA time zone (`Europe/Berlin`); the machine's when left out. */
  timeZone?: string;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const MINUTE_MS = 60_000;

interface LocalTime {
  weekday: number;
  /** Minutes since local midnight, seconds included as a fraction. */
  minuteOfDay: number;
}

function localTime(ms: number, format: Intl.DateTimeFormat): LocalTime {
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const weekday = WEEKDAYS.indexOf((parts.weekday ?? '').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  const hour = Number(parts.hour) % 24;
  return { weekday, minuteOfDay: hour * 60 + Number(parts.minute) + Number(parts.second) / 60 };
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * The instant `minutes` of business hours after `fromMs`: time outside the hours (nights,
 * weekends) does not count. A wall-clock jump (summer time) is followed by reading the local time
 * again after each step.
 */
export function addBusinessMinutes(fromMs: number, minutes: number, hours: BusinessHours): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const days = new Set(hours.days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])));
  const [open, close] = [minutesOf(hours.start), minutesOf(hours.end)];
  if (days.size === 0 || close <= open) return fromMs + minutes * MINUTE_MS;
  let at = fromMs;
  let left = minutes;
  // Each pass ends at an opening, a closing or the deadline: a few passes per day covered.
  for (let pass = 0; pass < 10_000; pass += 1) {
    const local = localTime(at, format);
    if (!days.has(local.weekday) || local.minuteOfDay >= close) {
      at += (24 * 60 - local.minuteOfDay) * MINUTE_MS; // to the next local midnight
      continue;
    }
    if (local.minuteOfDay < open) {
      at += (open - local.minuteOfDay) * MINUTE_MS;
      continue;
    }
    const today = close - local.minuteOfDay;
    if (left <= today) return Math.round(at + left * MINUTE_MS);
    left -= today;
    at += today * MINUTE_MS;
  }
  return fromMs + minutes * MINUTE_MS;
}
