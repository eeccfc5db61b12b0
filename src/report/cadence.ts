import { DEFAULT_SEVERITIES } from '../config.js';

/** A severity as the config declares it (the fields a report needs). */
export interface SeverityCadence {
  name: string;
  aliases?: readonly string[];
  updateCadenceMinutes: number | null;
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
  const wanted = severity.toLowerCase();
  const match = severities.find(
    (entry) =>
      entry.name.toLowerCase() === wanted || (entry.aliases ?? []).some((alias) => alias.toLowerCase() === wanted),
  );
  return match?.updateCadenceMinutes ?? null;
}
