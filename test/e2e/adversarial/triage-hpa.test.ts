import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSim } from '../../../src/sim/index.js';
import type { TriageReport } from '../../../src/triage/types.js';
import { runInc } from '../../helpers/run-inc.js';
import { autoscaler } from '../../helpers/sim-fixtures.js';

/**
 * CPU saturation of a workload an HPA scales: triage must not suggest a plain scale (the HPA puts
 * it back). At the HPA's maximum it says so and suggests the scale playbook, whose HPA path raises
 * the bounds. (Below the maximum the HPA adds pods itself: test/unit/triage/suggest-autoscaler.test.ts.)
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-hpa-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function triageWithHpa(min: number, max: number): Promise<TriageReport> {
  const sim = await startSim({ scenario: 'traffic-spike', speed: 20 });
  try {
    sim.state.create(autoscaler('shop', 'web', min, max));
    sim.advance(40_000, 5_000);
    const result = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-n', 'shop', '-o', 'json'], {
      cwd: dir,
      env: { INC_HOME: join(dir, 'home'), HOME: dir },
    });
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    return JSON.parse(result.stdout) as TriageReport;
  } finally {
    await sim.stop();
  }
}

const cpuFinding = (report: TriageReport) =>
  report.findings.find((f) => f.reason === 'HighCPU' && f.workload?.name === 'web');

it('at the HPA maximum: says so, and suggests the scale playbook that raises the HPA bounds', async () => {
  const report = await triageWithHpa(2, 3);
  const finding = cpuFinding(report);
  expect(finding, JSON.stringify(report.findings.map((f) => f.title))).toBeDefined();
  expect(finding?.evidence.join('\n')).toContain(
    'HorizontalPodAutoscaler shop/web is at its maximum (3 of maxReplicas 3) and cannot add pods: the scale playbook raises the HPA',
  );
  expect(finding?.suggestion?.command).toBe('inc run scale --set namespace=shop --set deployment=web --set replicas=6');
});
