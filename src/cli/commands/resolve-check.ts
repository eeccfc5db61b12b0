import type { StillImpacted } from '../../triage/still-impacted.js';
import type { CommandEnv } from '../context.js';
import { openCluster } from '../open-cluster.js';
import { signalsSettingsFor } from './triage-signals.js';

/**
 * Measures, before `inc resolve` records anything, whether the figures the incident's triage flagged
 * (a workload's 5xx ratio, p99 latency, or request rate) are back at baseline: on the context triage
 * ran against, since the last mitigation, against the hour before the impact started. Undefined
 * when triage never flagged one.
 */
export async function measureBeforeResolve(env: CommandEnv): Promise<StillImpacted | undefined> {
  // A log that cannot be read is reported by the resolve itself, with its own error.
  const found = await flaggedInLog(env).catch(() => undefined);
  if (!found) return undefined;
  const { workloads, context, impactStartMs, lastChangeMs } = found;
  try {
    const settings = await signalsSettingsFor(env, {});
    const kube = await openCluster(env, { ...env.globals, context: env.globals.context ?? context });
    try {
      const { checkStillImpacted } = await import('../../triage/still-impacted.js');
      return await checkStillImpacted(kube, env.clock, env.signal, settings, {
        workloads,
        baselineEndMs: impactStartMs,
        ...(lastChangeMs === undefined ? {} : { sinceMs: lastChangeMs }),
      });
    } finally {
      kube.close();
    }
  } catch (error) {
    if (env.signal.aborted) throw error;
    return { kind: 'unmeasured', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The open incident's workloads with a flagged signal, the context triage ran on, and its times. */
async function flaggedInLog(env: CommandEnv) {
  const { incHome, readIncident, deriveIncidentState } = await import('../../incident/recorder.js');
  const { resolveIncidentId } = await import('../../incident/incidents.js');
  const home = incHome(env.env);
  const id = await resolveIncidentId(home, env.globals.incident);
  if (!id) return undefined;
  const { events } = await readIncident(home, id);
  const state = deriveIncidentState(events, env.clock, { id });
  if (!state.open) return undefined;
  const measured = state.triages.filter((t) => t.signals);
  const { flaggedSignals } = await import('../../report/measured-impact.js');
  const workloads = flaggedSignals(measured.flatMap((t) => (t.signals ? [t.signals] : [])));
  if (workloads.length === 0) return undefined;
  const lastChange = events.findLast(
    (e) => e.type === 'action' && (e.data.phase === 'applied' || e.data.phase === 'verified'),
  );
  return {
    workloads,
    context: measured.at(-1)?.context,
    impactStartMs: Date.parse(state.times.impactStartedAt),
    lastChangeMs: lastChange ? Date.parse(lastChange.at) : undefined,
  };
}
