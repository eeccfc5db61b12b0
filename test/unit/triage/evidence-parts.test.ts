import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvidenceJson } from '../../../src/incident/compressed-evidence.js';
import { writeCompressedEvidence } from '../../../src/incident/evidence-files.js';
import { triageEvidenceParts } from '../../../src/triage/evidence-parts.js';
import { PodCensus } from '../../../src/triage/pod-census.js';
import type { TriageReport } from '../../../src/triage/types.js';
import { crashLooping, deployment, event, pod, podRef, replicaSet, snapshotWith } from './fixtures.js';

const home = mkdtempSync(join(tmpdir(), 'inc-evidence-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the evidence of a triage run', () => {
  it('is gzip-compressed JSON with the unhealthy pods in full, the healthy ones summarised, and redacted', async () => {
    const api = deployment('payments', 'api', { replicas: 41 });
    const rs = replicaSet(api, '7d9f', { revision: 2, image: 'api:2', createdMinutesAgo: 60 });
    const ready = [{ type: 'Ready', status: 'True' }];
    const census = new PodCensus();
    const sick = pod('api-sick', { owner: rs, hash: '7d9f', containers: [crashLooping('api', 5)] });
    census.add(sick);
    for (let i = 0; i < 40; i++)
      census.add(pod(`api-${i}`, { owner: rs, hash: '7d9f', conditions: ready, node: `node-${i % 4}` }));
    const snapshot = snapshotWith({
      pods: census.kept,
      healthyPods: census.healthy(),
      deployments: [api],
      replicasets: [rs],
      events: [event(podRef(sick), 'BackOff', { message: 'connect failed: password=hunter2hunter2' })],
    });
    const report = {
      schemaVersion: 1,
      findings: [],
      summary: { critical: 0, warning: 0, info: 0 },
    } as unknown as TriageReport;

    const saved = await writeCompressedEvidence({ home, id: 'INC-1' }, 'triage-x.json.gz', () =>
      triageEvidenceParts(report, snapshot),
    );
    const again = await writeCompressedEvidence({ home, id: 'INC-1' }, 'triage-x.json.gz', () =>
      triageEvidenceParts(report, snapshot),
    );
    expect(saved.path).toBe('evidence/triage-x.json.gz');
    expect(again.path).toBe('evidence/triage-x-2.json.gz');
    expect(saved.bytes).toBeGreaterThan(100);

    const content = (await readEvidenceJson(join(home, 'incidents', 'INC-1', saved.path))) as {
      report: unknown;
      snapshot: Record<string, unknown> & { pods: { metadata: { name: string } }[]; events: { message: string }[] };
    };
    expect(content.report).toEqual(report);
    expect(content.snapshot.pods.map((p) => p.metadata.name)).toEqual(['api-sick']);
    expect(content.snapshot.healthyPods).toEqual([
      {
        namespace: 'payments',
        owner: { kind: 'ReplicaSet', name: rs.metadata.name },
        images: ['api:2'],
        count: 40,
        nodes: 4,
      },
    ]);
    expect(content.snapshot.deployments).toHaveLength(1);
    expect(content.snapshot.now).toBe(snapshot.now);
    expect(content.snapshot.events[0]?.message).toContain('[REDACTED]');
    expect(JSON.stringify(content)).not.toContain('hunter2hunter2');
  });
});
