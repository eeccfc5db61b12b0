import type { SeverityRules } from '../severity-table.js';
import { median } from './metrics.js';
import type { IncidentState } from './state.js';
import { TARGET_NAMES, type TargetName } from './state-types.js';

/** How one severity's incidents fared against one of its targets. */
export interface TargetTally {
  target: TargetName;
  met: number;
  missed: number;
  pending: number;
  /** met / (met + missed), as a whole percentage; null while none is decided. */
  metPercent: number | null;
}

/** The severity's goals beside the measured figures, and how its incidents met them. */
export interface SeverityTargets {
  /** Every target of the severity table counts from the declaration (not from the alert, unlike MTTA). */
  countedFrom: 'declaredAt';
  /** Acknowledge within (minutes) of the declaration; null: none. */
  acknowledgeTargetMinutes: number | null;
  /** The median time from the declaration to the acknowledgement, the figure its target judges. */
  acknowledgeMedianMs: number | null;
  /** Resolve within (minutes) of the declaration, the MTTR goal; null: tracked, no goal. */
  resolveTargetMinutes: number | null;
  /** The median time from the declaration to the resolution, the figure its goal judges. */
  resolveMedianMs: number | null;
  tallies: TargetTally[];
  /** Resolved incidents that required a postmortem, and how many have one. */
  postmortems: { required: number; written: number; percent: number | null };
}

/** The median time from the declaration to a milestone, over the incidents that reached it. */
function medianSinceDeclared(
  states: readonly IncidentState[],
  milestone: 'acknowledgedAt' | 'resolvedAt',
): number | null {
  const values = states.flatMap((s) => {
    const at = s.times[milestone];
    // A page acknowledged before the declaration met its target at once: no negative time.
    return at ? [Math.max(0, Date.parse(at) - Date.parse(s.times.declaredAt))] : [];
  });
  return median(values) ?? null;
}

function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 100) : null;
}

/**
 * The targets of one severity over its incidents: each target's met / missed / pending counts (from the
 * projection, which judged each incident against the configured table) and the postmortem completion rate.
 */
export function tallyTargets(states: readonly IncidentState[], rules: SeverityRules | undefined): SeverityTargets {
  const tallies = TARGET_NAMES.map((target) => {
    const outcomes = states.flatMap((s) => s.targets.filter((t) => t.target === target).map((t) => t.outcome));
    const met = outcomes.filter((o) => o === 'met').length;
    const missed = outcomes.filter((o) => o === 'missed').length;
    return { target, met, missed, pending: outcomes.length - met - missed, metPercent: percent(met, met + missed) };
  }).filter((tally) => tally.met + tally.missed + tally.pending > 0);
  const required = states.filter(
    (s) => !s.open && (s.postmortemMissing || s.targets.some((t) => t.target === 'postmortem')),
  );
  const written = required.filter((s) => s.postmortems.length > 0).length;
  return {
    countedFrom: 'declaredAt',
    acknowledgeTargetMinutes: rules?.ackTargetMinutes ?? null,
    acknowledgeMedianMs: medianSinceDeclared(states, 'acknowledgedAt'),
    resolveTargetMinutes: rules?.resolveTargetMinutes ?? null,
    resolveMedianMs: medianSinceDeclared(states, 'resolvedAt'),
    tallies,
    postmortems: { required: required.length, written, percent: percent(written, required.length) },
  };
}
