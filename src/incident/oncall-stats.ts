import { median } from './metrics.js';
import type { IncidentState } from './state.js';

/** Alerts that started this many incidents within TOIL_WINDOW are toil. */
export const TOIL_MIN_INCIDENTS = 5;
export const TOIL_WINDOW_MS = 30 * 86_400_000;
export const TOIL_HINT = 'automate or tune this alert';

export interface OncallStats {
  /** Incidents started from an alert (`inc start --from-alert`). */
  pages: number;
  pagesPerWeek: number;
  /**
   * Pages acknowledged within `alertmanager.ackTargetMinutes`, counted from the first alert firing
   * (else the declaration), unlike the severity's acknowledge target, which counts from the declaration.
   */
  acknowledgedWithinTarget: {
    count: number;
    of: number;
    targetMinutes: number;
    countedFrom: 'alertedAt|declaredAt';
    /** The median time from the alert to the acknowledgement over the pages acknowledged. */
    medianMs: number | null;
  };
  /** Pages resolved with `--false-positive`: nothing needed doing. */
  falsePositives: { count: number; of: number };
  /** Alerts that started TOIL_MIN_INCIDENTS or more incidents in the last 30 days. */
  toil: { alert: string; incidents: number; hint: string }[];
}

/**
 * The on-call figures the runbooks track, over the incidents given (practice ones already left
 * out): pages per week, pages acknowledged within the target, false positives, and toil.
 */
export function computeOncallStats(
  states: readonly IncidentState[],
  options: { now: Date; weeks: number; ackTargetMinutes: number },
): OncallStats {
  const pages = states.filter((s) => s.paged);
  const targetMs = options.ackTargetMinutes * 60_000;
  const ackMs = pages
    .map((s) => s.metrics.find((m) => m.key === 'timeToAcknowledge')?.ms)
    .filter((ms): ms is number => typeof ms === 'number');
  const resolved = pages.filter((s) => !s.open);
  const windowStart = options.now.getTime() - TOIL_WINDOW_MS;
  const byAlert = new Map<string, number>();
  for (const state of pages) {
    if (Date.parse(state.times.declaredAt) < windowStart) continue;
    const name = pagingAlert(state);
    if (name) byAlert.set(name, (byAlert.get(name) ?? 0) + 1);
  }
  const toil = [...byAlert.entries()]
    .filter(([, count]) => count >= TOIL_MIN_INCIDENTS)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([alert, incidents]) => ({ alert, incidents, hint: TOIL_HINT }));
  return {
    pages: pages.length,
    pagesPerWeek: options.weeks > 0 ? Math.round((pages.length / options.weeks) * 100) / 100 : 0,
    acknowledgedWithinTarget: {
      count: ackMs.filter((ms) => ms <= targetMs).length,
      of: pages.length,
      targetMinutes: options.ackTargetMinutes,
      countedFrom: 'alertedAt|declaredAt',
      medianMs: median(ackMs) ?? null,
    },
    falsePositives: { count: resolved.filter((s) => s.falsePositive).length, of: resolved.length },
    toil,
  };
}

/** The alert an incident was started from. */
function pagingAlert(state: IncidentState): string | undefined {
  const declared = state.events.find((e) => e.type === 'declared');
  return declared?.type === 'declared' ? declared.data.fromAlert?.name : undefined;
}
