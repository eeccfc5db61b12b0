/** A severity as the config declares it (the fields a report needs). */
export interface SeverityCadence {
  name: string;
  aliases?: readonly string[];
  updateCadenceMinutes: number | null;
}

/** The default update cadence per severity: SEV1 every 15 minutes, SEV2 30, SEV3 60, SEV4 none. */
export const DEFAULT_UPDATE_CADENCE: Readonly<Record<string, number | null>> = {
  SEV1: 15,
  SEV2: 30,
  SEV3: 60,
  SEV4: null,
};

/**
 * Minutes between status updates for a severity: the config's value when it names the severity
 * (by name or alias), else the default; null means no cadence (no next update is promised).
 */
export function updateCadenceMinutes(severity: string, severities: readonly SeverityCadence[] = []): number | null {
  const wanted = severity.toLowerCase();
  const configured = severities.find(
    (entry) =>
      entry.name.toLowerCase() === wanted || (entry.aliases ?? []).some((alias) => alias.toLowerCase() === wanted),
  );
  if (configured) return configured.updateCadenceMinutes;
  return DEFAULT_UPDATE_CADENCE[severity.toUpperCase()] ?? null;
}
