import type { Clock } from '../clock.js';
import { parseDuration } from '../duration.js';
import { parseTimeInput } from '../time-input.js';

/** `--since`: a duration ago ("10m", "2h", "7d") or a time ("14:02", "yesterday 09:00", ISO-8601). */
export function sinceTime(text: string, clock: Clock): Date {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)(\d+(\.\d+)?(ms|s|m|h|d))*$/.test(text.trim())) {
    return new Date(clock.now().getTime() - parseDuration(text, '--since'));
  }
  return parseTimeInput(text, clock, { what: '--since' });
}
