import { DEFAULT_SEVERITIES } from '../config.js';

/** A severity as the config declares it (the fields a report needs). */
export interface SeverityCadence {
  name: string;
  aliases?: readonly string[];
  updateCadenceMinutes: number | null;
  /** A postmortem is required within this many business days (the resolution update promises it). */
  postmortemWithinBusinessDays?: number | null;
}

/**
 * Minutes between status updates for a severity, from the severity table (by name or alias;
 * default: inc's table, SEV1 15, SEV2 30, SEV3 60, SEV4 none). Null means no cadence: no next
 * update is promised, also for a severity the table does not know.
 */
export function updateCadenceMinutes(
  severity: string,
  severities: readonly SeverityCadence[] = DEFAULT_SEVERITIES,
): number | null {
  return findSeverity(severity, severities)?.updateCadenceMinutes ?? null;
}

/** A severity of the table by name or alias, case-insensitively. */
export function findSeverity(
  severity: string,
  severities: readonly SeverityCadence[] = DEFAULT_SEVERITIES,
): SeverityCadence | undefined {
  const wanted = severity.toLowerCase();
  return severities.find(
    (entry) =>
      entry.name.toLowerCase() === wanted || (entry.aliases ?? []).some((alias) => alias.toLowerCase() === wanted),
  );
}
