/**
 * Pure helpers of the demo: which commands it types, and what it concludes from triage's JSON report.
 * The demo runs real inc commands, exactly as a user would type them.
 */

export interface TriageSuggestion {
  playbook: string;
  params: Record<string, string | number | boolean>;
  command?: string;
}

interface WorkloadRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** The parts of `inc triage -o json` (schemaVersion 1) the demo reads. */
export interface TriageJson {
  summary: { critical: number; warning: number; info: number };
  findings: Array<{
    id: string;
    severity: string;
    reason: string;
    title: string;
    workload?: WorkloadRef;
    suggestion?: TriageSuggestion;
  }>;
  suspects: Array<{ workload: WorkloadRef; change: string }>;
}

/** The suggestion to act on: the top suspect's, else the first critical finding's, else any. */
export function pickSuggestion(
  report: TriageJson,
): { suggestion: TriageSuggestion; workload?: WorkloadRef } | undefined {
  const withSuggestion = report.findings.filter((finding) => finding.suggestion);
  const suspect = report.suspects[0];
  const bySuspect = suspect
    ? withSuggestion.find((finding) => finding.workload && sameWorkload(finding.workload, suspect.workload))
    : undefined;
  const chosen =
    bySuspect ??
    withSuggestion.find((finding) => finding.severity === 'critical') ??
    withSuggestion.find((finding) => finding.severity === 'warning');
  if (!chosen?.suggestion) return undefined;
  return { suggestion: chosen.suggestion, workload: chosen.workload ?? suspect?.workload };
}

/** The argv of `inc run` for a suggestion; `--yes` because the demo has already shown the preview. */
export function runArgs(suggestion: TriageSuggestion): string[] {
  const args = ['run', suggestion.playbook];
  for (const [key, value] of Object.entries(suggestion.params)) args.push('--set', `${key}=${value}`);
  args.push('--yes');
  return args;
}

/**
 * True while the workload still needs acting on: a critical finding on it, or a warning that still
 * suggests a playbook. (A drained dead node stays a warning with nothing left to run: mitigated.)
 */
export function stillFailing(report: TriageJson, workload: WorkloadRef | undefined): boolean {
  if (!workload) return report.summary.critical > 0;
  return report.findings.some(
    (finding) =>
      finding.workload !== undefined &&
      sameWorkload(finding.workload, workload) &&
      (finding.severity === 'critical' || (finding.severity === 'warning' && finding.suggestion !== undefined)),
  );
}

export function sameWorkload(a: WorkloadRef, b: WorkloadRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** Renders argv as the user would type it, quoting only where a shell needs it. */
export function formatCommand(args: readonly string[]): string {
  return ['inc', ...args]
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
