import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../src/sim/clock.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { runKubectl } from '../helpers/kubectl.js';
import { monitoringServiceManifest } from '../helpers/monitoring-service.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * `inc alerts` and the triage check `alerts` end to end: the built inc against the simulator and
 * Debian's real Alertmanager, given by URL or found in the cluster behind the service proxy.
 * The simulated cluster starts at a fixed instant and inc's clock is pinned (INC_NOW), so ages
 * and correlations do not depend on the machine's clock.
 */

/** The scenario's "now"; its history (the rollout ten minutes before) starts two minutes earlier still. */
const NOW = '2026-03-10T14:12:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const simClock = () => new SimClock({ start: at(-12), speed: 1 });

let home: string;
const running: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-alerts-'));
});
afterEach(async () => {
  for (const server of running.splice(0).reverse()) await server.stop();
  await rm(home, { recursive: true, force: true });
});

async function setup(): Promise<{ sim: RunningSim; alertmanager: RunningAlertmanager }> {
  const sim = await startSim({ scenario: 'bad-deploy-errors', clock: simClock() });
  running.push(sim);
  const alertmanager = await startAlertmanager();
  running.push(alertmanager);
  // bad-deploy-errors rolls payments/api out ten minutes before NOW; the alert fired two minutes later.
  await alertmanager.postAlerts([
    {
      labels: { alertname: 'HighErrorRate', namespace: 'payments', service: 'api', severity: 'critical' },
      annotations: {
        summary: '5xx ratio of payments/api above 5 %',
        description: 'payments/api answers about 30 % of its requests with a 5xx',
        runbook_url: 'https://runbooks.example.com/high-error-rate',
      },
      startsAt: at(-8),
      generatorURL: 'http://prometheus.example/graph?g0.expr=errors',
    },
    { labels: { alertname: 'NodeClockSkew', severity: 'warning' }, startsAt: at(-3) },
  ]);
  return { sim, alertmanager };
}

function inc(args: string[], env: Record<string, string> = {}) {
  return runInc(args, { env: { INC_HOME: join(home, 'inc'), HOME: home, INC_NOW: at(1), ...env }, timeoutMs: 60_000 });
}

async function triage(sim: RunningSim, args: string[]): Promise<{ report: TriageReport; code: number | null }> {
  const run = await inc(['triage', '-A', '-o', 'json', '--kubeconfig', sim.kubeconfigPath, ...args]);
  expect(run.stdout, run.stderr).toMatch(/^\{/);
  return { report: JSON.parse(run.stdout) as TriageReport, code: run.code };
}

describe('inc alerts', () => {
  it('lists the firing alerts with severity, age, the workload they point at and the summary', async () => {
    const { alertmanager } = await setup();
    const text = await inc(['alerts', '--alertmanager', alertmanager.url]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SEVERITY\s+AGE\s+WORKLOAD\s+SUMMARY$/);
    expect(lines[1]).toMatch(
      /^HighErrorRate\s+critical\s+9m\s+service payments\/api\s+5xx ratio of payments\/api above 5 %$/,
    );
    // No workload in its labels: shown, unlinked.
    expect(lines[2]).toMatch(/^NodeClockSkew\s+warning\s+4m\s+-\s*$/);

    const json = await inc(['alerts', '-o', 'json'], { INC_ALERTMANAGER_URL: alertmanager.url });
    const rows = JSON.parse(json.stdout) as { name: string; workload?: unknown; fingerprint: string; state: string }[];
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['HighErrorRate', 'firing'],
      ['NodeClockSkew', 'firing'],
    ]);
    expect(rows[0]).toMatchObject({
      workload: { kind: 'Service', namespace: 'payments', name: 'api' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      generatorURL: 'http://prometheus.example/graph?g0.expr=errors',
    });
    expect(rows[1]?.workload).toBeUndefined();
  }, 90_000);

  it('leaves silenced alerts out, and shows them with --all; -n keeps one namespace', async () => {
    const { alertmanager } = await setup();
    await alertmanager.amtool([
      'silence',
      'add',
      'alertname=NodeClockSkew',
      '--comment=known',
      '--author=test',
      '--duration=1h',
    ]);
    const firing = await inc(['alerts', '-o', 'json', '--alertmanager', alertmanager.url]);
    expect((JSON.parse(firing.stdout) as { name: string }[]).map((r) => r.name)).toEqual(['HighErrorRate']);
    const all = await inc(['alerts', '--all', '--alertmanager', alertmanager.url]);
    expect(all.stdout).toMatch(/^NodeClockSkew\s+warning\s+4m\s+-\s+silenced\s*$/m);
    const payments = await inc(['alerts', '-n', 'payments', '--all', '-o', 'json', '--alertmanager', alertmanager.url]);
    expect((JSON.parse(payments.stdout) as { name: string }[]).map((r) => r.name)).toEqual(['HighErrorRate']);
  }, 90_000);

  it('without an Alertmanager, says how to give one (exit 2: a setting to add)', async () => {
    const sim = await startSim({ scenario: 'healthy', clock: simClock() });
    running.push(sim);
    const run = await inc(['alerts', '--kubeconfig', sim.kubeconfigPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no Alertmanager given .* none found in the cluster/);
    expect(run.stderr).toMatch(/--alertmanager/);
    const bad = await inc(['alerts', '--alertmanager', 'alertmanager:9093']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid Alertmanager URL/);
  }, 60_000);
});

describe('triage check alerts', () => {
  it('shows the alert on payments/api beside the rollout suspect, with its runbook beside the rollback', async () => {
    const { sim, alertmanager } = await setup();
    const { report, code } = await triage(sim, ['--alertmanager', alertmanager.url, '--check', 'pods,rollouts,alerts']);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.check === 'alerts')).toMatchObject({ status: 'ok' });
    expect(report.alertSource).toEqual({ kind: 'url', name: alertmanager.url });
    const alert = report.findings.find((f) => f.check === 'alerts' && f.reason === 'HighErrorRate');
    expect(alert).toMatchObject({
      id: 'alerts/HighErrorRate/payments/Deployment/api',
      severity: 'critical',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      since: at(-8),
      runbook: 'https://runbooks.example.com/high-error-rate',
      suggestion: { playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } },
    });
    expect(alert?.evidence).toEqual(
      expect.arrayContaining([
        'summary: 5xx ratio of payments/api above 5 %',
        'description: payments/api answers about 30 % of its requests with a 5xx',
        'runbook: https://runbooks.example.com/high-error-rate',
      ]),
    );
    expect(report.suspects[0]).toMatchObject({ workload: { kind: 'Deployment', namespace: 'payments', name: 'api' } });
    expect(report.suspects[0]?.change).toMatch(/2\.3\.1/);
    const unlinked = report.findings.find((f) => f.reason === 'NodeClockSkew');
    expect(unlinked).toMatchObject({ severity: 'warning', check: 'alerts' });
    expect(unlinked?.workload).toBeUndefined();

    const text = await inc([
      'triage',
      '-A',
      '--kubeconfig',
      sim.kubeconfigPath,
      '--alertmanager',
      alertmanager.url,
      '--check',
      'pods,rollouts,alerts',
    ]);
    expect(text.stdout).toMatch(
      /→ inc run rollback --set namespace=payments --set deployment=api\s+runbook: https:\/\/runbooks\.example\.com\/high-error-rate/,
    );
  }, 90_000);

  it('finds the Alertmanager a cluster runs (alertmanager-operated) through the service proxy', async () => {
    const { sim, alertmanager } = await setup();
    const manifest = join(home, 'alertmanager-operated.yaml');
    await writeFile(
      manifest,
      monitoringServiceManifest({
        name: 'alertmanager-operated',
        app: 'alertmanager',
        servicePort: 9093,
        port: alertmanager.port,
      }),
    );
    const applied = await kubectl(sim, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).toBe(0);
    const { report } = await triage(sim, ['--check', 'alerts']);
    expect(report.alertSource).toEqual({ kind: 'discovered', name: 'monitoring/alertmanager-operated:web' });
    expect(report.findings.map((f) => f.reason).sort()).toEqual(['HighErrorRate', 'NodeClockSkew']);
    const listed = await inc(['alerts', '-o', 'json', '--kubeconfig', sim.kubeconfigPath]);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(2);
  }, 90_000);

  it('Alertmanager down is a failed alerts check, never a failed triage', async () => {
    const { sim, alertmanager } = await setup();
    const url = alertmanager.url;
    await alertmanager.stop();
    running.splice(running.indexOf(alertmanager), 1);
    const { report, code } = await triage(sim, ['--alertmanager', url, '--check', 'pods,rollouts,alerts']);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.check === 'alerts')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/unreachable/),
    });
    expect(report.checks.find((c) => c.check === 'pods')).toMatchObject({ status: 'ok' });
    expect(report.complete).toBe(false);
  }, 90_000);

  it('without an Alertmanager, the alerts check is skipped', async () => {
    const sim = await startSim({ scenario: 'healthy', clock: simClock() });
    running.push(sim);
    const { report, code } = await triage(sim, ['--check', 'pods,alerts']);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.check === 'alerts')).toMatchObject({ status: 'skipped' });
    expect(report.complete).toBe(true);
  }, 60_000);
});

function kubectl(sim: RunningSim, args: string[]) {
  return runKubectl(sim.kubeconfigPath, home, args);
}
