import type { EvidencePart } from '../../incident/compressed-evidence.js';
import type { Recorder } from '../../incident/recorder.js';
import { triageEvidenceObject } from '../evidence-parts.js';
import type { RecordTriageResult } from '../record-triage.js';
import type { Snapshot } from '../snapshot.js';
import type { TriageReport } from '../types.js';
import type { FleetReport } from './fleet-report.js';

const RECORDED_FINDINGS = 10;

/** What one context's run leaves for the evidence. */
export interface ContextEvidence {
  report: TriageReport;
  snapshot: Snapshot;
}

/**
 * Records a fleet triage as one `triage` event: the merged counts and headline, a summary per
 * context, the worst findings and the suspects with their contexts; every context's run in one
 * evidence file, streamed and compressed as a single context's is (healthy pods summarised).
 */
export async function recordFleetTriage(
  recorder: Recorder,
  report: FleetReport,
  contexts: ReadonlyMap<string, ContextEvidence>,
): Promise<RecordTriageResult> {
  if (!recorder.incidentId) return { incidentId: undefined };
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const saved = await recorder.saveCompressedEvidence(`triage-fleet-${stamp}.json.gz`, () =>
    fleetEvidenceParts(report, contexts),
  );
  const evidence = saved?.path;
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
  return { incidentId: recorder.incidentId, evidence, evidenceBytes: saved?.bytes };
}

/** `{"report":FLEET,"contexts":{"NAME":{"report":…,"snapshot":…},…}}`, one context at a time. */
export function* fleetEvidenceParts(
  report: FleetReport,
  contexts: ReadonlyMap<string, ContextEvidence>,
): Generator<EvidencePart> {
  yield { text: '{"report":' };
  yield { json: report };
  yield { text: ',"contexts":{' };
  let first = true;
  for (const [context, run] of contexts) {
    yield { text: `${first ? '' : ','}${JSON.stringify(context)}:` };
    yield* triageEvidenceObject(run.report, run.snapshot);
    first = false;
  }
  yield { text: '}}\n' };
}
