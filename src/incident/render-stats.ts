import { formatDuration } from '../duration.js';
import { formatColumns, type TextStyle } from './render.js';
import type { TargetName } from './state-types.js';
import type { IncidentStats, MetricSummary, SeverityStats } from './stats.js';
import type { SeverityTargets } from './target-stats.js';

const fmt = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const SHORT: Record<MetricSummary['key'], string> = {
  timeToDetect: 'DETECT',
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
  // Detection is measured only from alerts: without any, its column would be empty.
  const shown = (m: MetricSummary) =>
    m.key !== 'timeToDetect' || stats.all.metrics.some((a) => a.key === m.key && a.count > 0);
  const header = ['SEVERITY', 'INCIDENTS', ...stats.all.metrics.filter(shown).map((m) => SHORT[m.key])];
  const rows = [...stats.bySeverity, ...(stats.bySeverity.length > 1 ? [stats.all] : [])].map((s) => [
    s.severity,
    String(s.incidents),
    ...s.metrics.filter(shown).map((m) => (m.count === 0 ? '—' : `${fmt(m.medianMs)} / ${fmt(m.worstMs)}`)),
  ]);
  lines.push(...formatColumns([header, ...rows], (row, _c, cell) => (row === 0 ? style.bold(cell) : cell)));
  lines.push('');
  for (const m of stats.all.metrics.filter(shown)) {
    lines.push(style.dim(`${SHORT[m.key].toLowerCase().padEnd(12)}${humanTime(m.from)} → ${humanTime(m.to)}`));
  }
  lines.push(...renderTargets(stats, style));
  lines.push(...renderOncall(stats, style));
  lines.push('', `${style.bold('Incidents per week')} (average ${stats.averagePerWeek})`);
  const recent = stats.perWeek.slice(-12);
  lines.push(
    ...formatColumns(
      recent.map((w) => [`  week of ${w.weekOf}`, String(w.incidents), '#'.repeat(Math.min(w.incidents, 40))]),
    ),
  );
  return lines;
}

/** "2 of 3 (67%)": met of those decided; pending ones are not counted yet. */
function tallyCell(targets: SeverityTargets, name: TargetName): string {
  const tally = targets.tallies.find((t) => t.target === name);
  if (!tally || tally.met + tally.missed === 0) return '—';
  return `${tally.met} of ${tally.met + tally.missed} (${tally.metPercent}%)`;
}

function metricCell(stats: SeverityStats, key: MetricSummary['key'], targetMinutes: number | null): string {
  const metric = stats.metrics.find((m) => m.key === key);
  const figure = metric && metric.count > 0 ? fmt(metric.medianMs) : '—';
  return `${figure} / ${targetMinutes ? formatDuration(targetMinutes * 60_000) : 'no target'}`;
}

/** The runbooks' targets beside the figures: MTTA and MTTR against their goals, each target met of decided. */
function renderTargets(stats: IncidentStats, style: TextStyle): string[] {
  const header = [
    'SEVERITY',
    'MTTA / TARGET',
    'ACKNOWLEDGED',
    'RESPONDED',
    'FIRST UPDATE',
    'MTTR / TARGET',
    'RESOLVED',
    'POSTMORTEMS',
  ];
  const rows = stats.bySeverity.map((s) => {
    const { postmortems } = s.targets;
    return [
      s.severity,
      metricCell(s, 'timeToAcknowledge', s.targets.acknowledgeTargetMinutes),
      tallyCell(s.targets, 'acknowledge'),
      tallyCell(s.targets, 'respond'),
      tallyCell(s.targets, 'first-update'),
      metricCell(s, 'timeToResolve', s.targets.resolveTargetMinutes),
      tallyCell(s.targets, 'resolve'),
      postmortems.required ? `${postmortems.written} of ${postmortems.required} (${postmortems.percent}%)` : '—',
    ];
  });
  return [
    '',
    `${style.bold('Targets')} (median / target; met within target of those decided)`,
    ...formatColumns([header, ...rows], (row, _c, cell) => (row === 0 ? style.bold(cell) : cell)),
  ];
}

/** Pages (incidents started from an alert), acknowledgement within target, false positives, toil. */
function renderOncall(stats: IncidentStats, style: TextStyle): string[] {
  const { oncall } = stats;
  if (oncall.pages === 0) return [];
  const ack = oncall.acknowledgedWithinTarget;
  const lines = [
    '',
    style.bold('Pages'),
    `  ${oncall.pages} page${oncall.pages === 1 ? '' : 's'} (incidents started from an alert), ${oncall.pagesPerWeek} per week`,
    `  acknowledged within ${ack.targetMinutes}m of the alert: ${ack.count} of ${ack.of}`,
    `  false positives (paged, nothing to do): ${oncall.falsePositives.count} of ${oncall.falsePositives.of} resolved`,
  ];
  for (const toil of oncall.toil)
    lines.push(style.warn(`  toil: ${toil.alert} started ${toil.incidents} incidents in 30 days: ${toil.hint}`));
  return lines;
}

/** "impactStartedAt" → "impact started"; "alertedAt|declaredAt" → "alerted (else declared)". */
function humanTime(key: string): string {
  const [first, ...fallbacks] = key.split('|').map((part) =>
    part
      .replace(/At$/, '')
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase(),
  );
  return fallbacks.length ? `${first} (else ${fallbacks.join(', ')})` : (first ?? key);
}
