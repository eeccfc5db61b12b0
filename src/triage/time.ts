import type { KEvent } from './k8s.js';

/** Milliseconds since the epoch, or undefined for a missing or invalid time. */
export function toMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * When an event last happened: lastTimestamp, else series.lastObservedTime, else eventTime,
 * else firstTimestamp, else the object's creation (events.k8s.io-style events leave lastTimestamp null).
 */
export function eventLastSeen(event: KEvent): number | undefined {
  return (
    toMs(event.lastTimestamp) ??
    toMs(event.series?.lastObservedTime) ??
    toMs(event.eventTime) ??
    toMs(event.firstTimestamp) ??
    toMs(event.metadata.creationTimestamp)
  );
}

/** When an event first happened. */
export function eventFirstSeen(event: KEvent): number | undefined {
  return toMs(event.firstTimestamp) ?? toMs(event.eventTime) ?? eventLastSeen(event);
}

/** How many times an event happened (series count for new-style events). */
export function eventCount(event: KEvent): number {
  return Math.max(1, event.series?.count ?? event.count ?? 1);
}

/** "45s", "7m", "1h05m" for people reading a report during an incident. */
export function formatAge(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** "14:02" (UTC) for titles; the report's timestamps are ISO. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

export function isoOf(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
