import { join } from 'node:path';
import { readEvidenceJson } from '../../incident/compressed-evidence.js';
import type { EvidenceFigures } from './signals-chart-data.js';

/**
 * The signal points each recorded triage kept in its evidence file (the report's `signals`). A file
 * that is missing or not the expected shape is skipped: the chart then has fewer points, nothing more.
 */
export async function readEvidenceFigures(
  folder: string,
  triages: readonly { evidence?: string; signals?: unknown }[],
): Promise<EvidenceFigures[]> {
  const figures: EvidenceFigures[] = [];
  for (const triage of triages) {
    if (!triage.signals || !triage.evidence || !/^evidence\/[A-Za-z0-9._-]+$/.test(triage.evidence)) continue;
    try {
      const content = (await readEvidenceJson(join(folder, triage.evidence))) as {
        report?: { signals?: { workloads?: EvidenceFigures[] } };
      };
      for (const workload of content.report?.signals?.workloads ?? [])
        if (Array.isArray(workload.errorRatio?.points)) figures.push(workload);
    } catch {
      // An unreadable evidence file only costs the chart its points.
    }
  }
  return figures;
}
