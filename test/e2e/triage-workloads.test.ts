// biome-ignore-all lint/suspicious/noExplicitAny: the report is read as plain JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';
import { runInc } from '../helpers/run-inc.js';

/** Triage beyond Deployments, by the built inc against the simulator: failed Jobs and missing configuration. */

let world: FrozenSim;
let dir: string;

beforeAll(async () => {
  world = await startFrozenSim();
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-workloads-'));
  const applied = await world.kubectl(
    ['apply', '-f', '-'],
    `
apiVersion: batch/v1
kind: Job
metadata: {name: nightly-export, namespace: shop}
spec:
  backoffLimit: 1
  template:
    metadata: {annotations: {sim.inc.dev/behavior: crashloop}}
    spec:
      restartPolicy: Never
      containers: [{name: export, image: 'export:3.1'}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: payments}
spec:
  replicas: 2
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: checkout
          image: 'checkout:1.4'
          envFrom: [{configMapRef: {name: checkout-config}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}, annotations: {sim.inc.dev/behavior: imagepull}}
    spec: {containers: [{name: agent, image: 'registry.example.com/log-agent:9.9.9'}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ledger, namespace: payments}
spec:
  replicas: 3
  serviceName: ledger
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec: {containers: [{name: ledger, image: 'ledger:1.4.2'}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: metrics-agent, namespace: monitoring}
spec: {selector: {matchLabels: {app: metrics-agent}}, template: {metadata: {labels: {app: metrics-agent}},
  spec: {containers: [{name: agent, image: 'metrics-agent:2.0'}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: invoices, namespace: shop}
spec:
  schedule: '*/5 * * * *'
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        metadata: {annotations: {sim.inc.dev/behavior: crashloop}}
        spec:
          restartPolicy: Never
          containers: [{name: invoices, image: 'invoices:2.0'}]
`,
  );
  expect(applied.exitCode, applied.stderr).toBe(0);
  const ready = (kind: string, namespace: string, name: string, field: string, want: number) => () =>
    (world.sim.state.get(kind, namespace, name)?.status as any)?.[field] === want;
  world.advanceUntil(ready('StatefulSet', 'payments', 'ledger', 'readyReplicas', 3), 120_000);
  world.advanceUntil(ready('DaemonSet', 'monitoring', 'metrics-agent', 'numberReady', 3), 120_000);
  world.sim.advance(5 * 60_000, 5_000);
  // A new image for each: the StatefulSet's crash-loops, the DaemonSet's cannot be pulled.
  for (const [target, namespace, behavior, container, image] of [
    ['statefulset/ledger', 'payments', 'crashloop', 'ledger', 'ledger:1.5.0'],
    ['daemonset/metrics-agent', 'monitoring', 'imagepull', 'agent', 'metrics-agent:2.1'],
  ] as const) {
    const template = {
      metadata: { annotations: { 'sim.inc.dev/behavior': behavior } },
      spec: { containers: [{ name: container, image }] },
    };
    const patched = await world.kubectl([
      'patch',
      target,
      '-n',
      namespace,
      '-p',
      JSON.stringify({ spec: { template } }),
    ]);
    expect(patched.exitCode, patched.stderr).toBe(0);
  }
  const failed = () =>
    (world.sim.state.get('Job', 'shop', 'nightly-export')?.status as any)?.conditions?.some(
      (c: any) => c.type === 'Failed',
    );
  world.advanceUntil(failed, 300_000);
  // Two runs of the CronJob, both failing.
  world.sim.advance(11 * 60_000, 5_000);
});

afterAll(async () => {
  await world?.sim.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function triage(): Promise<any> {
  const result = await runInc(
    ['--kubeconfig', world.sim.kubeconfigPath, 'triage', '-A', '-o', 'json', '--sample', '1s'],
    {
      cwd: dir,
      env: { INC_HOME: join(dir, 'home'), HOME: dir },
    },
  );
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return JSON.parse(result.stdout);
}

describe('triage of Jobs and configuration', () => {
  let report: any;
  const finding = (id: string) => report.findings.find((f: any) => f.id === id);

  beforeAll(async () => {
    report = await triage();
  });

  it("a Job that reached its backoffLimit: the controller's words and its failed pods' last logs", () => {
    const job = finding('pods/Error/shop/Job/nightly-export');
    expect(job, JSON.stringify(report.findings.map((f: any) => f.id))).toBeDefined();
    expect(job.title).toMatch(
      /^job shop\/nightly-export failed: backoff limit reached: 2 pods terminated with an error/,
    );
    expect(job.evidence).toContain(
      'job nightly-export: Failed (BackoffLimitExceeded): Job has reached the specified backoff limit',
    );
    expect(job.evidence.some((line: string) => /^last log of nightly-export-\w+\/export .*ERROR/.test(line))).toBe(
      true,
    );
  });

  it('a CronJob whose last runs failed', () => {
    const cronJob = report.findings.find((f: any) => f.workload?.kind === 'CronJob' && f.workload.name === 'invoices');
    expect(cronJob, JSON.stringify(report.findings.map((f: any) => f.id))).toBeDefined();
    expect(cronJob.title).toMatch(/^cronjob shop\/invoices its last [2-9] runs failed: /);
    expect(
      cronJob.evidence.filter((line: string) => /^job invoices-\d+: Failed \(BackoffLimitExceeded\)/.test(line)).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('a DaemonSet image-pull failure: one finding for the DaemonSet, naming the image', () => {
    const pull = report.findings.find(
      (f: any) => f.workload?.kind === 'DaemonSet' && f.workload.name === 'log-agent' && f.check === 'pods',
    );
    expect(pull, JSON.stringify(report.findings.map((f: any) => f.id))).toBeDefined();
    expect(pull.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    expect(pull.title).toMatch(/^3\/3 pods of daemonset monitoring\/log-agent /);
    expect(pull.evidence.join('\n')).toContain('registry.example.com/log-agent:9.9.9');
  });

  it('a missing ConfigMap: CreateContainerConfigError naming it', () => {
    const config = finding('pods/CreateContainerConfigError/payments/Deployment/checkout');
    expect(config).toBeDefined();
    expect(config.severity).toBe('critical');
    expect(config.evidence).toContain('container checkout: configmap "checkout-config" not found');
  });

  it('a StatefulSet crash-looping after an image change: its revision change is the suspect, rollback with kind statefulset', () => {
    const crash = report.findings.find(
      (f: any) => f.workload?.kind === 'StatefulSet' && f.workload.name === 'ledger' && f.check === 'pods',
    );
    expect(crash, JSON.stringify(report.findings.map((f: any) => f.id))).toBeDefined();
    expect(crash.reason).toBe('CrashLoopBackOff');
    expect(crash.title).toMatch(/^1\/3 pods of statefulset payments\/ledger /);
    expect(crash.suggestion).toMatchObject({
      playbook: 'rollback',
      params: { namespace: 'payments', kind: 'statefulset', statefulset: 'ledger' },
    });
    expect(crash.suggestion.command).toBe(
      'inc run rollback --set namespace=payments --set kind=statefulset --set statefulset=ledger',
    );
    const suspect = report.suspects.find((s: any) => s.workload.kind === 'StatefulSet');
    expect(suspect).toMatchObject({
      workload: { kind: 'StatefulSet', namespace: 'payments', name: 'ledger' },
      change: 'rollout to revision 2 (image ledger:1.5.0, was ledger:1.4.2)',
    });
  });

  it("a DaemonSet's new image that cannot be pulled: its revision change is the suspect, rollback with kind daemonset", () => {
    const pull = report.findings.find(
      (f: any) => f.workload?.kind === 'DaemonSet' && f.workload.name === 'metrics-agent' && f.check === 'pods',
    );
    expect(pull, JSON.stringify(report.findings.map((f: any) => f.id))).toBeDefined();
    expect(pull.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    expect(pull.evidence.join('\n')).toContain('metrics-agent:2.1');
    expect(pull.suggestion).toMatchObject({
      playbook: 'rollback',
      params: { namespace: 'monitoring', kind: 'daemonset', daemonset: 'metrics-agent' },
    });
    expect(report.suspects.map((s: any) => `${s.workload.kind}/${s.workload.name}: ${s.change}`)).toContain(
      'DaemonSet/metrics-agent: rollout to revision 2 (image metrics-agent:2.1, was metrics-agent:2.0)',
    );
  });

  it('the recent rollouts of a StatefulSet and a DaemonSet are listed as Deployments’ are', () => {
    const rollouts = report.findings
      .filter((f: any) => f.reason === 'RecentRollout')
      .map((f: any) => ({ id: f.id, title: f.title, evidence: f.evidence }));
    expect(rollouts).toEqual(
      expect.arrayContaining([
        {
          id: 'rollouts/RecentRollout/payments/StatefulSet/ledger',
          title: expect.stringMatching(
            /^statefulset payments\/ledger: rollout to revision 2 \(image ledger:1\.5\.0, was ledger:1\.4\.2\) \d+m ago$/,
          ),
          evidence: ['revision 1 → 2'],
        },
        {
          id: 'rollouts/RecentRollout/monitoring/DaemonSet/metrics-agent',
          title: expect.stringMatching(
            /^daemonset monitoring\/metrics-agent: rollout to revision 2 \(image metrics-agent:2\.1, was metrics-agent:2\.0\) /,
          ),
          evidence: ['revision 1 → 2'],
        },
      ]),
    );
  });
});
