import type { DeclaredIncident } from '../../incident/state.js';
import { flaggedWorkloads } from '../measured-impact.js';

/** The three panels of the chart, top to bottom. */
export const CHART_PANELS = ['request rate (/s)', '5xx ratio (%)', 'p99 latency (ms)'] as const;
export type ChartPanel = (typeof CHART_PANELS)[number];

export interface ChartPoint {
  at: string;
  panel: ChartPanel;
  workload: string;
  value: number;
}

export interface ChartMark {
  at: string;
  label: string;
}

export interface SignalsChartData {
  title: string;
  points: ChartPoint[];
  marks: ChartMark[];
}

/** A figure as a triage evidence file keeps it: the points of the 30 minutes before the run. */
export interface EvidenceFigures {
  workload: { kind: string; namespace?: string; name: string };
  requestRate: { points: { at: string; value: number }[] };
  errorRatio: { points: { at: string; value: number }[] };
  p99Seconds: { points: { at: string; value: number }[] };
}

const FIGURES = [
  ['requestRate', 'request rate (/s)', 1],
  ['errorRatio', '5xx ratio (%)', 100],
  ['p99Seconds', 'p99 latency (ms)', 1000],
] as const;

/**
 * The chart's data: for each workload a signal finding flagged during the incident, its request
 * rate, 5xx ratio and p99 over the incident (each triage's figures, and the points its evidence kept
 * from Prometheus), with the declaration, each mitigation and the resolution marked. Undefined when
 * triage never flagged a signal: there is nothing to draw.
 */
export function signalsChartData(
  incident: DeclaredIncident,
  evidence: readonly EvidenceFigures[],
  nowMs: number,
): SignalsChartData | undefined {
  const flagged = flaggedWorkloads(incident.triages.flatMap((t) => (t.signals ? [t.signals] : [])));
  if (flagged.length === 0) return undefined;
  const name = (ref: { kind: string; namespace?: string; name: string }) =>
    `${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const wanted = new Set(flagged.map(name));
  const startMs = Date.parse(incident.times.impactStartedAt) - 15 * 60_000;
  const endMs = incident.times.resolvedAt ? Date.parse(incident.times.resolvedAt) : nowMs;
  const byKey = new Map<string, ChartPoint>();
  const add = (at: string, panel: ChartPanel, workload: string, value: number | undefined) => {
    const ms = Date.parse(at);
    if (value === undefined || !Number.isFinite(value) || !(ms >= startMs && ms <= endMs)) return;
    byKey.set(`${panel}|${workload}|${ms}`, { at: new Date(ms).toISOString(), panel, workload, value });
  };
  for (const figures of evidence) {
    const workload = name(figures.workload);
    if (!wanted.has(workload)) continue;
    for (const [key, panel, scale] of FIGURES)
      for (const point of figures[key].points) add(point.at, panel, workload, point.value * scale);
  }
  for (const triage of incident.triages)
    for (const entry of triage.signals?.workloads ?? []) {
      const workload = name(entry.workload);
      if (!wanted.has(workload)) continue;
      for (const [key, panel, scale] of FIGURES) {
        const now = entry[key].now;
        add(triage.signals!.at, panel, workload, now === undefined ? undefined : now * scale);
      }
    }
  const points = [...byKey.values()].sort((a, b) => a.at.localeCompare(b.at));
  if (points.length === 0) return undefined;
  return { title: `${incident.id}: golden signals`, points, marks: marksOf(incident) };
}

function marksOf(incident: DeclaredIncident): ChartMark[] {
  const marks: ChartMark[] = [{ at: incident.times.declaredAt, label: 'declared' }];
  for (const action of incident.actions) {
    const applied = action.phases.find((p) => p.phase === 'applied' || p.phase === 'verified');
    if (!action.dryRun && applied) marks.push({ at: applied.at, label: action.playbook ?? action.action });
  }
  if (incident.times.resolvedAt) marks.push({ at: incident.times.resolvedAt, label: 'resolved' });
  return marks;
}
