import { UsageError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a Go-style duration as kubectl and helm accept it ("90s", "5m", "1h30m", "250ms");
 * a bare number means seconds. Returns milliseconds.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const input = text.trim();
  if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(input); match; match = part.exec(input)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed = part.lastIndex;
  }
  if (input === '' || consumed !== input.length) {
    throw new UsageError(`invalid ${what} "${text}"`, { hint: 'use a duration such as 30s, 5m, 1h30m or 250ms' });
  }
  return Math.round(total);
}

/** Formats milliseconds compactly for people: "45s", "7m", "1h05m", "2d3h". */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${sign}${d}d${h}h`;
  if (h > 0) return `${sign}${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${sign}${m}m${s === 0 ? '' : `${String(s).padStart(2, '0')}s`}`;
  return `${sign}${s}s`;
}
