import { SEVERITY_RANK, type TriageReport } from './types.js';

/**
 * What a playbook's `triage` step found after the change, as one report for the incident log: the
 * namespace's objects, and the signals measured since the mitigation completed. Recorded, it is the
 * measurement status updates and `inc resolve` read ("5xx ratio 30 % → 0 %"), instead of the last
 * figure seen before the fix. It names no suspect: it looks at the state the mitigation left.
 */
export function verificationReport(objects: TriageReport, signals: TriageReport | undefined): TriageReport {
  const signalFindings = (signals?.findings ?? []).filter((finding) => finding.check === 'signals');
  const findings = [...objects.findings, ...signalFindings].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  const complete = objects.complete && (signals?.complete ?? true);
  return {
    ...objects,
    complete,
    summary,
    headline: `after the mitigation: ${countsText(summary)} ${whereText(objects.namespaces)}${complete ? '' : ' (not every check ran)'}`,
    findings,
    suspects: [],
    ...(signals?.signals ? { signals: signals.signals } : {}),
  };
}

function countsText(summary: TriageReport['summary']): string {
  const parts: string[] = [];
  if (summary.critical) parts.push(`${summary.critical} critical`);
  if (summary.warning) parts.push(`${summary.warning} warning${summary.warning === 1 ? '' : 's'}`);
  if (summary.info) parts.push(`${summary.info} info`);
  return parts.length ? parts.join(', ') : 'no problems found';
}

function whereText(namespaces: string): string {
  return namespaces === 'all' ? 'in all namespaces' : `in namespace ${namespaces}`;
}
