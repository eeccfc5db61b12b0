import type { SeverityRules } from '../severity-table.js';
import { METRIC_DEFINITIONS, type MetricKey, median } from './metrics.js';
import { computeOncallStats, type OncallStats } from './oncall-stats.js';
import { severitiesHeld } from './severity-deadline.js';
import type { IncidentState } from './state.js';
import { type SeverityTargets, tallyTargets } from './target-stats.js';

export interface MetricSummary {
  key: MetricKey;
  label: string;
  from: string;
  to: string;
  /** How many incidents have both ends of this metric. */
  count: number;
  medianMs: number | null;
  meanMs: number | null;
  worstMs: number | null;
}

export interface SeverityStats {
  severity: string;
  incidents: number;
  open: number;
  metrics: MetricSummary[];
  /** The severity's targets (MTTA, MTTR) and how its incidents met each target; postmortem completion. */
  targets: SeverityTargets;
}

export interface WeekCount {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  weekOf: string;
  incidents: number;
}

export interface IncidentStats {
  total: number;
  open: number;
  since: string | undefined;
  bySeverity: SeverityStats[];
  all: SeverityStats;
  perWeek: WeekCount[];
  averagePerWeek: number;
  /** Pages, acknowledgement within target, false positives, toil. */
  oncall: OncallStats;
}

/**
 * On-call metrics over incidents (MTTA, MTTM, MTTR as median, mean and worst), by severity in the
 * given order, and incidents per week from the first declaration's week to `now`'s. Practice
 * incidents (game days) are not counted.
 */
export function computeIncidentStats(
  states: readonly IncidentState[],
  now: Date,
  options: {
    severityOrder?: readonly string[];
    since?: Date;
    ackTargetMinutes?: number;
    /** The severity table, for the targets shown beside the figures. */
    severities?: readonly SeverityRules[];
  } = {},
): IncidentStats {
  const included = states.filter(
    (s) => !s.practice && (!options.since || Date.parse(s.times.declaredAt) >= options.since.getTime()),
  );
  const order = [...(options.severityOrder ?? [])];
  const grouped = included.map((state) => ({ state, severity: highestSeverityHeld(state, order) }));
  for (const { severity } of grouped) if (!order.includes(severity)) order.push(severity);
  const bySeverity = order
    .map((severity) =>
      summarise(
        severity,
        grouped.filter((entry) => entry.severity === severity).map((entry) => entry.state),
        options.severities?.find((rules) => rules.name === severity),
      ),
    )
    .filter((s) => s.incidents > 0);
  const perWeek = countPerWeek(included, now, options.since);
  const weeks = weeksCovered(included, now, options.since);
  return {
    total: included.length,
    open: included.filter((s) => s.open).length,
    since: options.since?.toISOString(),
    bySeverity,
    all: summarise('all', included),
    perWeek,
    averagePerWeek: weeks ? round2(included.length / weeks) : 0,
    oncall: computeOncallStats(included, {
      now,
      weeks,
      ackTargetMinutes: options.ackTargetMinutes ?? DEFAULT_ACK_TARGET_MINUTES,
    }),
  };
}

/**
 * The severity an incident counts under: the highest it held (the first in the table's order), as its
 * postmortem rule is. A SEV1 outage lowered to SEV3 once mitigated is a SEV1 incident in the figures.
 */
function highestSeverityHeld(
  state: Pick<IncidentState, 'severity' | 'severityHistory'>,
  order: readonly string[],
): string {
  const held = severitiesHeld(state);
  return order.find((name) => held.includes(name)) ?? state.severity;
}

function summarise(severity: string, states: readonly IncidentState[], rules?: SeverityRules): SeverityStats {
  return {
    severity,
    incidents: states.length,
    open: states.filter((s) => s.open).length,
    targets: tallyTargets(states, rules),
    metrics: METRIC_DEFINITIONS.map((definition) => {
      const values = states
        .map((s) => s.metrics.find((m) => m.key === definition.key)?.ms)
        .filter((ms): ms is number => typeof ms === 'number');
      return {
        key: definition.key,
        label: definition.label,
        // "alertedAt|declaredAt": from the first, else the second.
        from: 'fallbackFrom' in definition ? `${definition.from}|${definition.fallbackFrom}` : definition.from,
        to: definition.to,
        count: values.length,
        medianMs: median(values) ?? null,
        meanMs: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null,
        worstMs: values.length ? Math.max(...values) : null,
      };
    }),
  };
}

/** A page should be acknowledged within this many minutes (config: alertmanager.ackTargetMinutes). */
export const DEFAULT_ACK_TARGET_MINUTES = 5;

const WEEK_MS = 7 * 86_400_000;

function mondayOf(time: number): number {
  const date = new Date(time);
  const day = (date.getUTCDay() + 6) % 7;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day);
}

function countPerWeek(states: readonly IncidentState[], now: Date, since: Date | undefined): WeekCount[] {
  if (states.length === 0) return [];
  const declared = states.map((s) => Date.parse(s.times.declaredAt));
  const first = mondayOf(since ? since.getTime() : Math.min(...declared));
  const last = mondayOf(Math.max(now.getTime(), ...declared));
  const weeks: WeekCount[] = [];
  for (let week = first; week <= last; week += WEEK_MS) {
    weeks.push({
      weekOf: new Date(week).toISOString().slice(0, 10),
      incidents: declared.filter((t) => t >= week && t < week + WEEK_MS).length,
    });
  }
  return weeks;
}

/**
 * The weeks the figures cover, from `since` (else the first declaration) to now, at least one: the
 * calendar weeks touched would count this Monday morning, or three days, as whole weeks.
 */
function weeksCovered(states: readonly IncidentState[], now: Date, since: Date | undefined): number {
  if (states.length === 0) return 0;
  const start = since ? since.getTime() : Math.min(...states.map((s) => Date.parse(s.times.declaredAt)));
  return Math.max(1, (now.getTime() - start) / WEEK_MS);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
