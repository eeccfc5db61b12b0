import { formatLocalTime } from './describe.js';
import type { IncidentState } from './state-types.js';

/** What the hint needs of a triage finding (a fleet's carry their context). */
export interface DatedFinding {
  severity: 'critical' | 'warning' | 'info';
  title: string;
  since?: string;
  /** The kubeconfig context, in a fleet triage. */
  context?: string;
}

export interface ImpactStartHint {
  /** When the earliest critical finding began (ISO). */
  at: string;
  title: string;
  context?: string;
  /** How long before the declaration (ms). */
  beforeDeclarationMs: number;
  /** The time as `inc impact --started` takes it: the local clock when that is unambiguous, else ISO. */
  argument: string;
}

/** A failure dated less than this before the declaration is the same moment, give or take the reading. */
const SLACK_MS = 60_000;

/**
 * When the impact start was never given and triage dates a critical failure from before the
 * declaration: the impact probably began then, and every metric counts from the declaration.
 */
export function impactStartHint(
  state: Pick<IncidentState, 'impactStartGiven' | 'times'>,
  findings: readonly DatedFinding[],
  nowMs: number,
): ImpactStartHint | undefined {
  if (state.impactStartGiven) return undefined;
  const declaredMs = Date.parse(state.times.declaredAt);
  const earliest = findings
    .filter((finding) => finding.severity === 'critical' && finding.since !== undefined)
    .map((finding) => ({ finding, ms: Date.parse(finding.since as string) }))
    .filter(({ ms }) => Number.isFinite(ms) && ms < declaredMs - SLACK_MS)
    .sort((a, b) => a.ms - b.ms)[0];
  if (!earliest) return undefined;
  const at = new Date(earliest.ms).toISOString();
  return {
    at,
    title: earliest.finding.title,
    ...(earliest.finding.context ? { context: earliest.finding.context } : {}),
    beforeDeclarationMs: declaredMs - earliest.ms,
    argument: argumentFor(at, nowMs),
  };
}

/** `01:30:51` reads as today (or yesterday if still ahead): right within the last day, outside a repeated hour. */
function argumentFor(iso: string, nowMs: number): string {
  const clock = formatLocalTime(iso);
  const withinADay = nowMs - Date.parse(iso) < 23 * 3_600_000;
  return withinADay && !clock.includes('(') ? clock : iso;
}
