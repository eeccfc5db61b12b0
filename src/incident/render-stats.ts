import { formatDuration } from '../duration.js';
import { formatColumns, type TextStyle } from './render.js';
import type { IncidentStats, MetricSummary } from './stats.js';

const fmt = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const SHORT: Record<MetricSummary['key'], string> = {
  timeToDeclare: 'DECLARE',
  timeToAcknowledge: 'ACKNOWLEDGE',
  timeToMitigate: 'MITIGATE',
  timeToResolve: 'RESOLVE',
};

/** `inc stats` as text: median / worst per metric and severity, the metric definitions, incidents per week. */
export function renderStats(stats: IncidentStats, style: TextStyle): string[] {
  if (stats.total === 0) return ['no incidents on this machine yet'];
  const lines = [
    `${stats.total} incident${stats.total === 1 ? '' : 's'} (${stats.open} open)${stats.since ? ` since ${stats.since.slice(0, 10)}` : ''}; times are median / worst`,
    '',
  ];
  const header = ['SEVERITY', 'INCIDENTS', ...stats.all.metrics.map((m) => SHORT[m.key])];
  const rows = [...stats.bySeverity, ...(stats.bySeverity.length > 1 ? [stats.all] : [])].map((s) => [
    s.severity,
    String(s.incidents),
    ...s.metrics.map((m) => (m.count === 0 ? '—' : `${fmt(m.medianMs)} / ${fmt(m.worstMs)}`)),
  ]);
  lines.push(...formatColumns([header, ...rows], (row, _c, cell) => (row === 0 ? style.bold(cell) : cell)));
  lines.push('');
  for (const m of stats.all.metrics) {
    lines.push(style.dim(`${SHORT[m.key].toLowerCase().padEnd(12)}${humanTime(m.from)} → ${humanTime(m.to)}`));
  }
  lines.push('', `${style.bold('Incidents per week')} (average ${stats.averagePerWeek})`);
  const recent = stats.perWeek.slice(-12);
  lines.push(
    ...formatColumns(
      recent.map((w) => [`  week of ${w.weekOf}`, String(w.incidents), '#'.repeat(Math.min(w.incidents, 40))]),
    ),
  );
  return lines;
}

function humanTime(key: string): string {
  return key
    .replace(/At$/, '')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();
}
