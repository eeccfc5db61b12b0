import { describeTimings } from './health.js';
import { describeRef } from './owners.js';
import { renderSignalsLines } from './signals/render-signals.js';
import type { Finding, Severity, TriageReport } from './types.js';

/** The colours the text report uses; the CLI's Theme satisfies it. */
export interface ReportStyle {
  severity(level: Severity, text?: string): string;
  dim(text: string): string;
  bold(text: string): string;
  cmd(text: string): string;
  heading(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  ok(text: string): string;
}

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };
const INDENT = '          ';
const MAX_INFO_SHOWN = 8;

/** The report for people: worst first, headline, suspects, findings with evidence and suggestion. */
export function renderText(report: TriageReport, style: ReportStyle): { out: string; err: string } {
  const lines: string[] = [];
  const scope = report.namespaces === 'all' ? 'all namespaces' : `namespace ${report.namespaces}`;
  const header = style.dim(
    `inc triage · context ${report.context} · ${scope} · ${report.startedAt.replace('T', ' ').slice(0, 19)} UTC`,
  );
  const worst: Severity | undefined = report.summary.critical
    ? 'critical'
    : report.summary.warning
      ? 'warning'
      : undefined;
  // A report that could not cover everything says so before anything else: silence is not health.
  if (!report.complete) lines.push(style.error(report.headline), header);
  else lines.push(header, worst ? style.severity(worst, report.headline) : style.ok(report.headline));
  if (report.suspects.length) {
    lines.push('');
    report.suspects.forEach((suspect, index) => {
      const label = index === 0 ? style.bold('Suspect:') : style.dim('also:   ');
      lines.push(`${label} ${describeRef(suspect.workload)}: ${suspect.change} at ${suspect.at.slice(11, 19)}`);
      lines.push(`${INDENT}${style.dim(suspect.why)}`);
    });
  }
  const serious = report.findings.filter((f) => f.severity !== 'info');
  const info = report.findings.filter((f) => f.severity === 'info');
  if (serious.length) lines.push('');
  for (const finding of serious) lines.push(...renderFinding(finding, style));
  if (info.length) {
    lines.push('');
    for (const finding of info.slice(0, MAX_INFO_SHOWN))
      lines.push(`${style.severity('info', LABEL.info)}  ${finding.title}`);
    if (info.length > MAX_INFO_SHOWN)
      lines.push(style.dim(`${INDENT}… and ${info.length - MAX_INFO_SHOWN} more (-o json shows all)`));
  }
  if (report.signals) lines.push('', style.bold('Signals'), ...renderSignalsLines(report.signals, style.dim));
  if (report.probes?.length) {
    lines.push('', style.bold('Health'));
    for (const probe of report.probes) {
      const result = probe.error
        ? style.error(probe.error)
        : probe.ok
          ? style.ok(String(probe.status))
          : style.error(String(probe.status));
      lines.push(`  ${probe.url}  ${result}  ${style.dim(describeTimings(probe))}`);
    }
  }
  if (report.commits?.length) {
    lines.push('', style.bold('Recent commits'));
    for (const commit of report.commits.slice(0, 5))
      lines.push(
        `  ${commit.sha.slice(0, 8)} ${commit.at.slice(0, 16).replace('T', ' ')}  ${commit.subject} ${style.dim(`(${commit.author})`)}`,
      );
  }
  const err = report.checks
    .filter((check) => check.status !== 'ok')
    .map((check) =>
      check.status === 'error'
        ? style.warn(`check ${check.check} failed: ${check.error ?? 'unknown error'}`)
        : style.dim(`check ${check.check} skipped: ${check.error ?? ''}`),
    );
  return { out: lines.join('\n'), err: err.join('\n') };
}

function moreEvidence(count: number): string {
  return `… and ${count} more (inc triage -o json lists them all)`;
}

function renderFinding(finding: Finding, style: ReportStyle): string[] {
  const lines = [`${style.severity(finding.severity, LABEL[finding.severity])}  ${style.bold(finding.title)}`];
  // The runbook is shown with the suggestion, not twice.
  const evidence = finding.runbook
    ? finding.evidence.filter((line) => line !== `runbook: ${finding.runbook}`)
    : finding.evidence;
  for (const line of evidence.slice(0, 5)) lines.push(`${INDENT}${line}`);
  // Cut short, said so: a node's affected workloads past the fifth are impact too.
  if (evidence.length > 5) lines.push(`${INDENT}${style.dim(moreEvidence(evidence.length - 5))}`);
  if (finding.objects.length > 1 || (finding.objects[0] && finding.objects[0].kind === 'Pod')) {
    const names = finding.objects
      .map((o) => o.name)
      .slice(0, 4)
      .join(', ');
    lines.push(
      style.dim(
        `${INDENT}${finding.objects[0]?.kind.toLowerCase()}s: ${names}${finding.count > 4 ? `, … (${finding.count})` : ''}`,
      ),
    );
  }
  const runbook = finding.runbook ? `runbook: ${finding.runbook}` : '';
  if (finding.suggestion)
    lines.push(`${INDENT}→ ${style.cmd(finding.suggestion.command)}${runbook ? `   ${style.dim(runbook)}` : ''}`);
  else if (runbook) lines.push(`${INDENT}→ ${runbook}`);
  return lines;
}

/** The report as Markdown, ready to paste into an incident channel. */
export function renderMarkdown(report: TriageReport): string {
  const scope = report.namespaces === 'all' ? 'all namespaces' : `namespace \`${report.namespaces}\``;
  const lines = [
    report.complete ? `### Triage: ${report.headline}` : `### ⚠ ${capitalize(report.headline)}`,
    '',
    `Context \`${report.context}\`, ${scope}, ${report.startedAt.replace('T', ' ').slice(0, 16)} UTC.`,
  ];
  if (report.suspects.length) {
    lines.push('', '**Suspects**', '');
    for (const suspect of report.suspects)
      lines.push(
        `- ${describeRef(suspect.workload)}: ${suspect.change} at ${suspect.at.slice(11, 19)} UTC — ${suspect.why}`,
      );
  }
  if (report.findings.length) {
    lines.push('', '**Findings**', '');
    for (const finding of report.findings) {
      lines.push(`- **${finding.severity}** ${escapeMarkdown(finding.title)}`);
      for (const line of finding.evidence.slice(0, 4)) lines.push(`  - ${escapeMarkdown(line)}`);
      if (finding.evidence.length > 4) lines.push(`  - ${moreEvidence(finding.evidence.length - 4)}`);
      if (finding.suggestion)
        lines.push(
          `  - suggested: \`${finding.suggestion.command}\`${finding.runbook ? ` (runbook: ${escapeMarkdown(finding.runbook)})` : ''}`,
        );
    }
  }
  const failed = report.checks.filter((check) => check.status !== 'ok');
  if (failed.length) {
    lines.push('', '**Checks not completed**', '');
    for (const check of failed)
      lines.push(`- ${check.check}: ${check.status}${check.error ? ` (${escapeMarkdown(check.error)})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
