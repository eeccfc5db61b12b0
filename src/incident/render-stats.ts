import { formatDuration } from '../duration.js';
import { formatColumns, type TextStyle } from './render.js';
import type { TargetName } from './state-types.js';
import type { IncidentStats, MetricSummary } from './stats.js';
import type { SeverityTargets } from './target-stats.js';

const fmt = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const SHORT: Record<MetricSummary['key'], string> = {
  timeToDetect: 'DETECT',
  timeToDeclare: 'DECLARE',
  timeToAcknowledge: 'ACKNOWLEDGE',
  timeToMitigate: 'MITIGATE',
  timeToResolve: 'RESOLVE',
};

/** "2026-11-27" at midnight UTC, else "2026-11-27 20:14 UTC". */
function sinceText(iso: string): string {
  const day = iso.slice(0, 10);
  return iso.slice(11, 16) === '00:00' ? day : `${day} ${iso.slice(11, 16)} UTC`;
}

/** `inc stats` as text: median / worst per metric and severity, the metric definitions, incidents per week. */
export function renderStats(stats: IncidentStats, style: TextStyle): string[] {
  if (stats.total === 0) return ['no incidents on this machine yet'];
  const lines = [
    // The time too: `--since 2d` starts mid-day, and a date alone reads as if that whole day counted.
    `${stats.total} incident${stats.total === 1 ? '' : 's'} (${stats.open} open)${stats.since ? ` since ${sinceText(stats.since)}` : ''}; times are median / worst`,
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

/** "1m / 5m": the median from the declaration beside the target that judges it. */
function targetCell(medianMs: number | null, targetMinutes: number | null): string {
  return `${fmt(medianMs)} / ${targetMinutes ? formatDuration(targetMinutes * 60_000) : 'no target'}`;
}

/**
 * The severity table's targets beside the figures they judge. The targets count from the
 * declaration, so the medians here do too: the time to acknowledge of the first table runs from the
 * alert, and set against a target counted from the declaration it would seem to contradict its tally.
 */
function renderTargets(stats: IncidentStats, style: TextStyle): string[] {
  const header = [
    'SEVERITY',
    'DECLARED→ACK / TARGET',
    'MET',
    'RESPONDED',
    'FIRST UPDATE',
    'DECLARED→RESOLVED / TARGET',
    'MET',
    'POSTMORTEMS',
  ];
  const rows = stats.bySeverity.map((s) => {
    const { postmortems } = s.targets;
    return [
      s.severity,
      targetCell(s.targets.acknowledgeMedianMs, s.targets.acknowledgeTargetMinutes),
      tallyCell(s.targets, 'acknowledge'),
      tallyCell(s.targets, 'respond'),
      tallyCell(s.targets, 'first-update'),
      targetCell(s.targets.resolveMedianMs, s.targets.resolveTargetMinutes),
      tallyCell(s.targets, 'resolve'),
      postmortems.required ? `${postmortems.written} of ${postmortems.required} (${postmortems.percent}%)` : '—',
    ];
  });
  return [
    '',
    `${style.bold('Targets')} of the severity table, counted from the declaration (median / target; met of those decided)`,
    ...formatColumns([header, ...rows], (row, _c, cell) => (row === 0 ? style.bold(cell) : cell)),
  ];
}

/** Pages (incidents started from an alert), acknowledgement within the alert's target, false positives, toil. */
function renderOncall(stats: IncidentStats, style: TextStyle): string[] {
  const { oncall } = stats;
  if (oncall.pages === 0) return [];
  const ack = oncall.acknowledgedWithinTarget;
  const lines = [
    '',
    style.bold('Pages'),
    `  ${oncall.pages} page${oncall.pages === 1 ? '' : 's'} (incidents started from an alert), ${oncall.pagesPerWeek} per week`,
    `  alerted → acknowledged within ${ack.targetMinutes}m (alertmanager.ackTargetMinutes): ${ack.count} of ${ack.of}${ack.medianMs === null ? '' : `; median ${fmt(ack.medianMs)}`}`,
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
