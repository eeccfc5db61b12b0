import type { Clock } from '../clock.js';
import { listIncidentIds, readCurrentId, readIncident } from './incidents.js';
import { type Env, incHome } from './paths.js';
import { deriveIncidentState, type IncidentState } from './state.js';

export interface IncidentSummary {
  id: string;
  current: boolean;
  state: IncidentState;
  /** Lines of its log that were skipped. */
  warnings: string[];
}

/** Every incident on this machine with its derived state, newest first, and warnings about unreadable logs. */
export async function listIncidents(
  home: string,
  clock: Clock,
  severities?: readonly { name: string; updateCadenceMinutes: number | null }[],
): Promise<{ incidents: IncidentSummary[]; warnings: string[] }> {
  const [ids, current] = await Promise.all([listIncidentIds(home), readCurrentId(home)]);
  const loaded = await Promise.all(
    ids.map(async (id): Promise<IncidentSummary | { id: string; error: string }> => {
      try {
        const { events, warnings } = await readIncident(home, id);
        return { id, current: id === current, state: deriveIncidentState(events, clock, { id, severities }), warnings };
      } catch (error) {
        // One unreadable incident must not hide the others.
        return { id, error: (error as Error).message };
      }
    }),
  );
  const incidents = loaded.filter((s): s is IncidentSummary => 'state' in s);
  const warnings = [
    ...loaded.filter((s): s is { id: string; error: string } => 'error' in s).map((u) => `${u.id} skipped: ${u.error}`),
    ...incidents.flatMap((i) => i.warnings),
  ];
  incidents.sort((a, b) => compareDesc(a.state.times.declaredAt, b.state.times.declaredAt) || compareDesc(a.id, b.id));
  return { incidents, warnings };
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** The current incident if it is still open: declaring a new one moves "current" away from it. */
export async function previousOpenIncident(env: Env, clock: Clock): Promise<{ id: string; title: string } | undefined> {
  const home = incHome(env);
  const id = await readCurrentId(home);
  if (!id) return undefined;
  const { events } = await readIncident(home, id);
  const state = deriveIncidentState(events, clock, { id });
  return state.open ? { id, title: state.title } : undefined;
}
