import { formatColumns } from '../../incident/text-style.js';
import { type ReportStyle, renderText } from '../render-report.js';
import type { FleetContextSummary, FleetReport } from './fleet-report.js';

/**
 * The fleet for people: the table (context, critical, warning, top suspect), then each context's
 * own report, worst context first; a context that could not be read is one line.
 */
export function renderFleetText(report: FleetReport, style: ReportStyle): { out: string; err: string } {
  const lines = [
    style.dim(`inc triage · ${contextCount(report)} · ${scopeOf(report.namespaces)}`),
    headlineStyle(report, style)(report.headline),
    '',
    ...renderTable(report.fleet, style),
  ];
  // Each context skips or fails its own checks, so every line names its contexts; the same line of
  // several (no Alertmanager anywhere) is said once for all of them, not once per cluster.
  const errors = new Map<string, string[]>();
  for (const entry of report.fleet) {
    lines.push('', style.heading(`── ${entry.context} ──`));
    const own = report.reports.find((r) => r.context === entry.context);
    if (!own) {
      lines.push(style.error(`${entry.context}: ${entry.headline}`));
      if (entry.hint) lines.push(`hint: ${entry.hint}`);
      continue;
    }
    const rendered = renderText(own, style);
    lines.push(rendered.out);
    for (const line of rendered.err ? rendered.err.split('\n') : []) {
      const contexts = errors.get(line) ?? [];
      contexts.push(entry.context);
      errors.set(line, contexts);
    }
  }
  const err = [...errors].map(([line, contexts]) => `${contexts.join(', ')}: ${line}`);
  return { out: lines.join('\n'), err: err.join('\n') };
}

function renderTable(fleet: readonly FleetContextSummary[], style: ReportStyle): string[] {
  const rows = fleet.map((entry) => [
    entry.context,
    entry.status === 'ok' ? String(entry.critical) : '-',
    entry.status === 'ok' ? String(entry.warning) : '-',
    entry.status === 'ok' ? (entry.topSuspect ?? '') : entry.headline,
  ]);
  const header = ['CONTEXT', 'CRITICAL', 'WARNING', 'TOP SUSPECT'];
  return formatColumns([header, ...rows], (row, _column, cell) => {
    if (row === 0) return style.bold(cell);
    const entry = fleet[row - 1] as FleetContextSummary;
    if (entry.status !== 'ok') return style.error(cell);
    if (entry.critical) return style.severity('critical', cell);
    return entry.warning ? style.severity('warning', cell) : cell;
  });
}

/** Incomplete as one context's is (an error), else coloured by the worst finding. */
function headlineStyle(report: FleetReport, style: ReportStyle): (text: string) => string {
  if (!report.complete) return (text) => style.error(text);
  return report.summary.critical ? (text) => style.severity('critical', text) : (text) => text;
}

/** "1 context", "3 contexts": `--contexts '^prod-'` may match a single one. */
function contextCount(report: FleetReport): string {
  const count = report.fleet.length;
  return `${count} context${count === 1 ? '' : 's'}`;
}

function scopeOf(namespaces: string): string {
  return namespaces === 'all' ? 'all namespaces' : `namespace ${namespaces}`;
}

/** The fleet in Markdown: the table, then a section per context with its headline and findings. */
export function renderFleetMarkdown(
  report: FleetReport,
  renderOne: (r: FleetReport['reports'][number]) => string,
): string {
  const lines = [
    `# Triage of ${contextCount(report)}`,
    '',
    report.headline,
    '',
    '| context | critical | warning | top suspect |',
    '|---|---|---|---|',
    ...report.fleet.map(
      (e) =>
        `| ${e.context} | ${e.status === 'ok' ? e.critical : '-'} | ${e.status === 'ok' ? e.warning : '-'} | ${cell(e.status === 'ok' ? (e.topSuspect ?? '') : e.headline)} |`,
    ),
  ];
  // A section per context under its name, worst first as in the table; one not read says why and what to try.
  for (const entry of report.fleet) {
    lines.push('', `## ${entry.context}`, '');
    const own = report.reports.find((r) => r.context === entry.context);
    if (own) lines.push(renderOne(own).trimEnd());
    else lines.push(cell(entry.headline), ...(entry.hint ? ['', `Hint: ${cell(entry.hint)}`] : []));
  }
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
