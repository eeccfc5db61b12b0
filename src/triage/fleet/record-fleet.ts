import type { Recorder } from '../../incident/recorder.js';
import type { FleetReport } from './fleet-report.js';

const RECORDED_FINDINGS = 10;

/**
 * Records a fleet triage as one `triage` event: the merged counts and headline, a summary per
 * context, the worst findings and the suspects with their contexts; every context's snapshot in one
 * evidence file.
 */
export async function recordFleetTriage(
  recorder: Recorder,
  report: FleetReport,
  snapshots: Record<string, unknown>,
): Promise<{ incidentId: string | undefined; evidence?: string }> {
  if (!recorder.incidentId) return { incidentId: undefined };
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const evidence = await recorder.saveEvidence(
    `triage-fleet-${stamp}.json`,
    `${JSON.stringify({ report, snapshots })}\n`,
  );
  await recorder.record('triage', {
    context: report.fleet.map((entry) => entry.context).join(', '),
    namespaces: report.namespaces,
    summary: report.summary,
    headline: report.headline,
    ...(report.fleet.every((entry) => entry.complete) ? {} : { complete: false }),
    contexts: report.fleet.map((entry) => ({
      context: entry.context,
      status: entry.status,
      summary: { critical: entry.critical, warning: entry.warning, info: entry.info },
      headline: entry.headline,
    })),
    findings: report.findings.slice(0, RECORDED_FINDINGS).map((finding) => ({
      id: finding.id,
      context: finding.context,
      severity: finding.severity,
      title: `${finding.context}: ${finding.title}`,
      ...(finding.suggestion
        ? { suggestion: { playbook: finding.suggestion.playbook, command: finding.suggestion.command } }
        : {}),
    })),
    suspects: report.suspects.map(({ context, ...suspect }) => ({
      ...suspect,
      context,
      workload: { ...suspect.workload, namespace: suspect.workload.namespace ?? '' },
    })),
    ...(evidence ? { evidence } : {}),
  });
  return { incidentId: recorder.incidentId, evidence };
}
