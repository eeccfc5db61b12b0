import { formatDuration } from '../duration.js';

/** Times in reports are always UTC, written the same way everywhere. */

const pad = (value: number) => String(value).padStart(2, '0');

/** "14:03 UTC" */
export function formatClockUtc(at: Date): string {
  return `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** "2026-01-01" */
export function formatDateUtc(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** "2026-01-01 14:03 UTC" */
export function formatDateTimeUtc(at: Date): string {
  return `${formatDateUtc(at)} ${formatClockUtc(at)}`;
}

/** "14:03:22", for timeline rows under a dated heading. */
export function formatSecondsUtc(at: Date): string {
  return at.toISOString().slice(11, 19);
}

/**
 * An elapsed time for people reading an update: whole minutes once past the first minute
 * ("25m", "1h05m"), seconds only before that. Updates are read at minute granularity.
 */
export function formatElapsed(ms: number): string {
  // To the second first, as every other duration is: 1h59m59.985s reads 2h00m beside "time to resolve".
  const safe = Math.round(Math.max(0, ms) / 1000) * 1000;
  return formatDuration(safe < 60_000 ? safe : Math.floor(safe / 60_000) * 60_000);
}

/**
 * A due date as people read it: a date given without a time stays a date ("2026-06-05"); one with
 * a time is written as the other report times ("2026-06-05 17:00 UTC"); anything else as recorded.
 */
export function formatDueUtc(due: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return due;
  const at = new Date(due);
  return Number.isNaN(at.getTime()) ? due : formatDateTimeUtc(at);
}
