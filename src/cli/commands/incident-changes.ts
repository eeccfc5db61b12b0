import type { LinkedAlert } from '../../playbooks/action-types.js';
import type { Mitigation } from '../../triage/mitigations.js';
import type { CommandEnv } from '../context.js';

/**
 * The changes inc applied in the current incident (or --incident) and did not undo, in `context`
 * (the cluster being read or changed; every context when unknown). Triage takes them for
 * mitigations, a rollback avoids the revisions they moved away from. A log that cannot be read must
 * not stop either.
 */
export async function loadIncidentChanges(
  env: CommandEnv,
  context: string | undefined,
): Promise<readonly Mitigation[]> {
  const events = await currentIncidentEvents(env);
  const { activeMitigations } = await import('../../triage/mitigations.js');
  return events ? activeMitigations(events, context) : [];
}

/** The alerts linked to the current incident (none without one): a silence covering others is broad. */
export async function loadIncidentAlerts(env: CommandEnv): Promise<readonly LinkedAlert[]> {
  const events = (await currentIncidentEvents(env)) ?? [];
  return events.flatMap(({ type, data }) =>
    type === 'alert' ? [{ name: data.name, fingerprint: data.fingerprint, labels: { ...data.labels } }] : [],
  );
}

/**
 * When the current incident's impact started (ms), when it was given (`inc start --impact-started`):
 * the signals' baseline ends there, so the bad minutes before the declaration do not count as normal.
 */
export async function loadImpactStart(env: CommandEnv): Promise<number | undefined> {
  const events = await currentIncidentEvents(env);
  const declared = events?.find((event) => event.type === 'declared');
  const at = declared?.type === 'declared' ? Date.parse(declared.data.impactStartedAt ?? '') : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

async function currentIncidentEvents(env: CommandEnv) {
  try {
    const { incHome, readIncident } = await import('../../incident/recorder.js');
    const { resolveIncidentId } = await import('../../incident/incidents.js');
    const home = incHome(env.env);
    const id = await resolveIncidentId(home, env.globals.incident);
    return id ? (await readIncident(home, id)).events : undefined;
  } catch {
    return undefined;
  }
}
