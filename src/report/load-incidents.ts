import type { Clock } from '../clock.js';
import type { IncidentEvent } from '../incident/event.js';
import { listIncidentIds, readIncident } from '../incident/incidents.js';
import { type DeclaredIncident, type DeriveOptions, deriveDeclaredIncident } from '../incident/state.js';

export interface LoadedIncidents {
  incidents: DeclaredIncident[];
  /** Lines for stderr: skipped log lines and incidents that could not be read. */
  warnings: string[];
}

type LoadOptions = Omit<DeriveOptions, 'id'>;

/** Reads one incident's log and derives its projection. */
export async function loadIncident(
  home: string,
  id: string,
  clock: Clock,
  options: LoadOptions = {},
): Promise<{ incident: DeclaredIncident; warnings: string[] }> {
  const { events, warnings } = await readIncident(home, id);
  return { incident: deriveDeclaredIncident(id, events as IncidentEvent[], clock, options), warnings };
}

/** Reads every incident on this machine, oldest first; one unreadable incident does not hide the others. */
export async function loadAllIncidents(
  home: string,
  clock: Clock,
  options: LoadOptions = {},
): Promise<LoadedIncidents> {
  const incidents: DeclaredIncident[] = [];
  const warnings: string[] = [];
  for (const id of await listIncidentIds(home)) {
    try {
      const loaded = await loadIncident(home, id, clock, options);
      incidents.push(loaded.incident);
      warnings.push(...loaded.warnings);
    } catch (error) {
      warnings.push(`${id}: skipped: ${(error as Error).message}`);
    }
  }
  return { incidents, warnings };
}
