import type { Mitigation } from '../../triage/mitigations.js';
import type { CommandEnv } from '../context.js';

/**
 * The changes inc applied in the current incident (or --incident) and did not undo. Triage takes
 * them for mitigations, a rollback avoids the revisions they moved away from. A log that cannot be
 * read must not stop either.
 */
export async function loadIncidentChanges(env: CommandEnv): Promise<readonly Mitigation[]> {
  try {
    const { incHome, readIncident } = await import('../../incident/recorder.js');
    const { resolveIncidentId } = await import('../../incident/incidents.js');
    const { activeMitigations } = await import('../../triage/mitigations.js');
    const home = incHome(env.env);
    const id = await resolveIncidentId(home, env.globals.incident);
    return id ? activeMitigations((await readIncident(home, id)).events) : [];
  } catch {
    return [];
  }
}
