import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../../src/sim/index.js';
import type { TriageReport } from '../../../src/triage/types.js';
import { runInc } from '../../helpers/run-inc.js';

/** inc's own mitigations must never become the suspect, nor be undone by the next suggestion. */

let dir: string;
let sim: RunningSim;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-adversarial-mitigations-'));
  sim = await startSim({ scenario: 'bad-deploy' });
});
afterEach(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const inc = (args: string[]) =>
  runInc(['--kubeconfig', sim.kubeconfigPath, ...args], {
    cwd: dir,
    env: { INC_HOME: join(dir, 'home'), HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
    timeoutMs: 60_000,
  });
const api = ['--set', 'namespace=payments', '--set', 'deployment=api'];

async function triage(): Promise<TriageReport> {
  const result = await inc(['triage', '-n', 'payments', '-o', 'json']);
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return JSON.parse(result.stdout) as TriageReport;
}

/** A pod finding of payments/api that triage dates (what suspects are ranked against). */
const failingApi = (report: TriageReport) =>
  report.findings.find((f) => f.check === 'pods' && f.severity !== 'info' && f.workload?.name === 'api');

const rolloutFinding = (report: TriageReport, reason: string) =>
  report.findings.find((f) => f.reason === reason && f.workload?.name === 'api');

describe('triage after inc mitigated', () => {
  it('a rollback is the incident’s mitigation, dated when it happened; a second rollback refuses the bad revision', async () => {
    expect((await inc(['start', 'payments api down', '--severity', 'SEV2'])).code).toBe(0);
    const rollback = await inc(['run', 'rollback', ...api, '--yes']);
    expect(rollback.code, rollback.stderr).toBe(0);

    const report = await triage();
    const own = rolloutFinding(report, 'IncMitigation');
    const bad = rolloutFinding(report, 'RecentRollout');
    expect(own?.title).toContain('rollout to revision 3 (image registry.example.com/payments/api:2.3.0');
    expect(own?.title).toContain("inc's mitigation in this incident");
    expect(own?.evidence.join('\n')).toContain('roll back deployment payments/api from revision 2 to revision 1');
    // The rollback re-adopted the old ReplicaSet: it is dated by the move, after the bad rollout, not at its creation.
    expect(bad?.title).toContain('rollout to revision 2');
    expect(Date.parse(own?.since ?? '')).toBeGreaterThan(Date.parse(bad?.since ?? '') + 5 * 60_000);
    expect(report.suspects.map((s) => s.change).join('\n')).not.toContain('revision 3');

    const again = await inc(['run', 'rollback', ...api, '--dry-run']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('this incident already moved away from (revision 2)');
    expect(again.stdout).not.toContain('to revision 2');
  });

  it('after a pin that did not help, the pin is not the suspect and rollback skips the revision pinned away from', async () => {
    expect((await inc(['start', 'payments api down', '--severity', 'SEV2'])).code).toBe(0);
    const pin = await inc([
      'run',
      'pin-image',
      ...api,
      '--set',
      'container=api',
      '--set',
      'image=registry.example.com/payments/api:2.3.0',
      '--set',
      'timeout=3s',
      '--yes',
    ]);
    // The bad revision's config crash-loops whatever the image: the pin is applied, its rollout never completes.
    expect(pin.stderr).toContain('set the image of api in deployment payments/api');
    expect(pin.stderr).toContain('applied');

    // The pinned pods crash a few (simulated) seconds after they start: wait, boundedly, for triage to see it.
    let report = await triage();
    for (let attempt = 0; attempt < 15 && !failingApi(report); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await triage();
    }
    expect(rolloutFinding(report, 'IncMitigation')?.title).toContain('rollout to revision 3');
    expect(report.suspects[0]?.change).toContain(
      'rollout to revision 2 (image registry.example.com/payments/api:2.3.1',
    );
    expect(report.suspects.map((s) => s.change).join('\n')).not.toContain('revision 3');
    expect(failingApi(report)?.suggestion?.command).toBe(
      'inc run rollback --set namespace=payments --set deployment=api --set toRevision=1',
    );

    // A playbook's triage step is told the incident's mitigations too: its next step skips the pinned-away revision.
    const playbooks = join(dir, 'config', 'inc', 'playbooks');
    mkdirSync(playbooks, { recursive: true });
    writeFileSync(
      join(playbooks, 'check-api.yaml'),
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: check-api, title: Check payments/api }
steps:
  - { id: check, action: triage, with: { namespace: payments, workload: api } }
`,
    );
    const check = await inc(['run', 'check-api']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toContain('triage: still failing');
    expect(check.stderr).toContain(
      'next: inc run rollback --set namespace=payments --set deployment=api --set toRevision=1',
    );

    const rollback = await inc(['run', 'rollback', ...api, '--dry-run']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('roll back deployment payments/api from revision 3 to revision 1');
    expect(rollback.stdout + rollback.stderr).toContain(
      'skipping revision 2: this incident already moved away from it',
    );
  });
});
