import type { IncidentEvent } from '../incident/event.js';
import { listIncidentIds, readIncident } from '../incident/incidents.js';
import { buildIncidentView, type IncidentView } from './incident-view.js';

export interface LoadedViews {
  views: IncidentView[];
  /** Lines for stderr: skipped log lines and incidents that could not be read. */
  warnings: string[];
}

/** Reads one incident's log and derives its report view. */
export async function loadIncidentView(home: string, id: string): Promise<{ view: IncidentView; warnings: string[] }> {
  const { events, warnings } = await readIncident(home, id);
  return { view: buildIncidentView(id, events as IncidentEvent[]), warnings };
}

/** Reads every incident on this machine, oldest first; one unreadable incident does not hide the others. */
export async function loadAllIncidentViews(home: string): Promise<LoadedViews> {
  const views: IncidentView[] = [];
  const warnings: string[] = [];
  for (const id of await listIncidentIds(home)) {
    try {
      const loaded = await loadIncidentView(home, id);
      views.push(loaded.view);
      warnings.push(...loaded.warnings);
    } catch (error) {
      warnings.push(`${id}: skipped: ${(error as Error).message}`);
    }
  }
  return { views, warnings };
}
