import type { Recorder } from '../incident/recorder.js';
import { triageEvidenceParts } from './evidence-parts.js';
import { measuredSignals } from './signals/measured-signals.js';
import type { Snapshot } from './snapshot.js';
import type { TriageReport } from './types.js';

export interface RecordTriageResult {
  incidentId: string | undefined;
  evidence?: string;
  /** The evidence file's size on disk. */
  evidenceBytes?: number;
}

const RECORDED_FINDINGS = 10;

/**
 * Records a run in the current incident: the raw snapshot as evidence first (events expire from
 * the cluster within the hour; Secrets are never fetched), then a `triage` event naming it.
 */
export async function recordTriage(
  recorder: Recorder,
  report: TriageReport,
  snapshot: Snapshot | undefined,
): Promise<RecordTriageResult> {
  if (!recorder.incidentId) return { incidentId: undefined };
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  // Streamed and compressed: a snapshot of a large cluster is never one string, nor a large file.
  const saved = snapshot
    ? await recorder.saveCompressedEvidence(`triage-${stamp}.json.gz`, () => triageEvidenceParts(report, snapshot))
    : undefined;
  const evidence = saved?.path;
  await recorder.record('triage', {
    context: report.context,
    namespaces: report.namespaces,
    summary: report.summary,
    headline: report.headline,
    // Only an incomplete run says so: the log of a full run reads as before.
    ...(report.complete ? {} : { complete: false }),
    findings: report.findings.slice(0, RECORDED_FINDINGS).map((finding) => ({
      id: finding.id,
      severity: finding.severity,
      title: finding.title,
      ...(finding.suggestion
        ? { suggestion: { playbook: finding.suggestion.playbook, command: finding.suggestion.command } }
        : {}),
    })),
    suspects: report.suspects.map((suspect) => ({
      ...suspect,
      workload: { ...suspect.workload, namespace: suspect.workload.namespace ?? '' },
    })),
    ...(evidence ? { evidence } : {}),
    ...(report.signals ? { signals: measuredSignals(report.signals, report.findings) } : {}),
  });
  return { incidentId: recorder.incidentId, evidence, evidenceBytes: saved?.bytes };
}
