import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSim } from '../../src/sim/index.js';
import { triageReportSchema } from '../../src/triage/report-schema.js';
import type { TriageReport } from '../../src/triage/types.js';
import { runInc } from '../helpers/run-inc.js';

interface Culprit {
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
  playbook: string;
  params: Record<string, string | number>;
}

const SCENARIOS = [
  'bad-deploy',
  'oom',
  'image-pull',
  'node-failure',
  'argo-selfheal',
  'helm-bad-release',
  'traffic-spike',
  'pending-capacity',
  'bad-deploy-errors',
  'latency-regression',
  'netpol-block',
  'statefulset-stuck',
];

function culpritOf(scenario: string): Culprit {
  const text = readFileSync(new URL(`../../src/sim/scenarios/${scenario}.yaml`, import.meta.url), 'utf8');
  return (parse(text) as { culprit: Culprit }).culprit;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function triage(
  scenario: string,
  args: string[] = [],
): Promise<{ report: TriageReport; stderr: string; code: number | null }> {
  const sim = await startSim({ scenario });
  try {
    // The simulator runs ten times faster than real time: a 1 s sample is its usual 10 s.
    const result = await runInc(
      ['--kubeconfig', sim.kubeconfigPath, 'triage', '-A', '-o', 'json', '--sample', '1s', ...args],
      {
        cwd: dir,
        env: { INC_HOME: join(dir, 'home'), HOME: dir },
      },
    );
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    const report = JSON.parse(result.stdout) as TriageReport;
    // The output is exactly the schemaVersion 1 contract.
    triageReportSchema.parse(report);
    return { report, stderr: result.stderr, code: result.code };
  } finally {
    await sim.stop();
  }
}

describe('inc triage on every built-in scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: the planted culprit is the top suspect, found once, with the mitigating playbook`, async () => {
      const culprit = culpritOf(scenario);
      const { report, code } = await triage(scenario);
      expect(code).toBe(0);
      expect(report.context).toBe('inc-sim');
      expect(report.namespaces).toBe('all');

      const suspect = report.suspects[0];
      expect(suspect?.workload).toEqual({
        kind: culprit.kind,
        ...(culprit.namespace ? { namespace: culprit.namespace } : {}),
        name: culprit.name,
      });

      const matching = report.findings.filter(
        (f) =>
          f.reason === culprit.reason &&
          f.workload?.kind === culprit.kind &&
          f.workload.name === culprit.name &&
          f.workload.namespace === culprit.namespace,
      );
      expect(matching).toHaveLength(1);
      const finding = matching[0];
      expect(finding?.severity).not.toBe('info');
      expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);

      expect(finding?.suggestion?.playbook).toBe(culprit.playbook);
      for (const [key, value] of Object.entries(culprit.params)) {
        if (key === 'replicas') expect(Number(finding?.suggestion?.params.replicas)).toBeGreaterThan(0);
        else expect(finding?.suggestion?.params[key]).toBe(String(value));
      }
      expect(finding?.suggestion?.command).toMatch(new RegExp(`^inc run ${culprit.playbook} `));
      expect(report.summary.critical + report.summary.warning).toBeGreaterThan(0);
    });
  }

  it('healthy: nothing critical or warning, no suspects, every check ran', async () => {
    const { report, code } = await triage('healthy');
    expect(code).toBe(0);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.suspects).toEqual([]);
    expect(report.headline).toMatch(/^no problems found in \d+ namespaces/);
    const statuses = Object.fromEntries(report.checks.map((c) => [c.check, c.status]));
    expect(statuses).toMatchObject({
      pods: 'ok',
      events: 'ok',
      top: 'ok',
      rollouts: 'ok',
      nodes: 'ok',
      services: 'ok',
      logs: 'ok',
      network: 'ok',
    });
  });

  it("without -n or -A, a clean report says only the context's namespace was read, in every format", async () => {
    const sim = await startSim({ scenario: 'bad-deploy' });
    try {
      for (const output of ['text', 'json', 'markdown']) {
        const result = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-o', output], {
          cwd: dir,
          env: { INC_HOME: join(dir, 'home'), HOME: dir },
        });
        // payments/api crash-loops in its own namespace; the context's is default.
        expect(result.stdout, output).toContain(
          "no problems found in namespace default (the context's; other namespaces not read: -A reads them all)",
        );
      }
    } finally {
      await sim.stop();
    }
  });

  it('empty: says the cluster has no pods, not that 0 namespaces were looked at', async () => {
    const { report, code } = await triage('empty');
    expect(code).toBe(0);
    expect(report.headline).toMatch(/^no problems found in the cluster \(no pods in any namespace\)/);
  });

  it('--fail-on critical exits 3 when a critical finding exists, and 0 on a healthy cluster', async () => {
    expect((await triage('bad-deploy', ['--fail-on', 'critical'])).code).toBe(3);
    expect((await triage('healthy', ['--fail-on', 'warning'])).code).toBe(0);
  });
});
