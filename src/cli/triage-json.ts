/**
 * What the CLI reads back from `inc triage -o json` when it runs triage itself (the demo, and the
 * verdict of a practice run): the report's shape and whether a workload still needs acting on.
 */

export interface TriageSuggestion {
  playbook: string;
  params: Record<string, string | number | boolean>;
  command?: string;
}

export interface WorkloadRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** The parts of `inc triage -o json` (schemaVersion 1) the demo and the practice verdict read. */
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
