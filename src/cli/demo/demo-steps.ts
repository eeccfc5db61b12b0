import { sameWorkload, type TriageJson, type TriageSuggestion, type WorkloadRef } from '../triage-json.js';

/**
 * Pure helpers of the demo: which commands it types, and which suggestion of triage's JSON report
 * it acts on. The demo runs real inc commands, exactly as a user would type them.
 */

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

/** Renders argv as the user would type it, quoting only where a shell needs it. */
export function formatCommand(args: readonly string[]): string {
  return ['inc', ...args]
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
