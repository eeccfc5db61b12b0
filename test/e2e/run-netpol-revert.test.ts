import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionEvents,
  expectExit,
  makeTwoCommitRepo,
  openSimWorld,
  type RawJson,
  type SimWorld,
  writes,
} from './playbooks-sim.js';

const REVERT = ['run', 'netpol-revert', '--set', 'namespace=payments', '--set', 'policy=restrict-api'];

/**
 * netpol-block end to end: triage names the NetworkPolicy that cuts payments/api off; netpol-revert
 * deletes it (previewed, dry-run, confirmed, precondition, recorded) and the Service's traffic flows
 * again; inc undo puts it back; and with the policy's manifest in git, the version HEAD~1 holds is
 * restored instead. One simulator for the file.
 */

const BAD_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: restrict-api
  namespace: payments
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
`;
const GOOD_POLICY = `${BAD_POLICY}  ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: http}]
`;

let w: SimWorld;

beforeAll(async () => {
  w = await openSimWorld('netpol-block', 30);
});
afterAll(async () => {
  await w?.close();
});

/** Requests the api pods served so far, from the simulator's metrics. */
async function apiServed(): Promise<number> {
  const text = await (await fetch(w.sim.metricsUrl)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes('service="api"'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Whether requests reach payments/api over a minute of simulated time. */
async function apiReachable(): Promise<boolean> {
  const before = await apiServed();
  w.sim.advance(60_000, 5_000);
  const after = await apiServed();
  const probe = await w.kubectl(['get', '--raw', '/api/v1/namespaces/payments/services/api:http/proxy/healthz']);
  expect(after > before).toBe(probe.exitCode === 0);
  return after > before;
}

describe('netpol-block and netpol-revert', () => {
  it('triage names the policy as the top suspect and suggests netpol-revert', async () => {
    expectExit(await w.inc(['start', 'payments api unreachable', '--severity', 'SEV2']), 0);
    const triage = await w.inc(['triage', '-n', 'payments', '-o', 'json', '--sample', '1s']);
    const report = JSON.parse(triage.stdout);
    expect(report.checks.find((c: RawJson) => c.check === 'network').status).toBe('ok');
    expect(report.suspects[0]).toMatchObject({
      workload: { kind: 'NetworkPolicy', namespace: 'payments', name: 'restrict-api' },
      change: 'NetworkPolicy created',
    });
    const finding = report.findings.find((f: RawJson) => f.check === 'network');
    expect(finding).toMatchObject({ severity: 'critical', reason: 'NetworkPolicyChanged' });
    expect(finding.evidence).toContain('it admits no ingress: requests to service api are dropped');
    expect(finding.suggestion.command).toBe('inc run netpol-revert --set namespace=payments --set policy=restrict-api');
    // No Prometheus: the pods' own counters, scraped twice, fall to nothing against their average since start.
    const drop = report.findings.find((f: RawJson) => f.reason === 'TrafficDrop');
    expect(drop).toMatchObject({
      check: 'signals',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      suggestion: { playbook: 'netpol-revert', params: { namespace: 'payments', policy: 'restrict-api' } },
    });
    expect(drop.title).toMatch(/^deployment payments\/api: request rate 0\.00\/s, down 100 % \(baseline \d/);
    expect(drop.evidence).toContain(
      'NetworkPolicy payments/restrict-api selects its pods and changed at ' +
        `${report.suspects[0].at.slice(11, 16)}: revert it`,
    );
    expect(report.suspects[0].why).toContain('it selects the pods of deployment payments/api');
    expect(await apiReachable()).toBe(false);
  });

  it('without a terminal and --yes, nothing changes; --dry-run plans only', async () => {
    w.requests.length = 0;
    const refused = await w.inc(REVERT);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const dry = await w.inc([...REVERT, '--dry-run']);
    expectExit(dry, 0);
    expect(dry.stdout + dry.stderr).toContain('delete networkpolicy payments/restrict-api');
    expect(writes(w.requests).every((r) => r.path.includes('dryRun=All'))).toBe(true);
    w.object('NetworkPolicy', 'payments', 'restrict-api');
  });

  it('deletes the policy with preconditions, traffic flows again, and inc undo puts it back', async () => {
    w.requests.length = 0;
    const run = await w.inc([...REVERT, '--yes']);
    expectExit(run, 0);
    expect(run.stdout).toContain(
      '✓ revert (networkpolicy.revert): verified — delete networkpolicy payments/restrict-api',
    );
    // The verification shows the traffic flowing, and no error ratio "back to" what it never left.
    const verified = run.stdout + run.stderr;
    expect(verified).toMatch(/\n\s+deployment payments\/api: \d+(\.\d+)?\/s, 5xx \d/);
    expect(verified).not.toContain('5xx ratio back to');
    expect(w.sim.state.get('NetworkPolicy', 'payments', 'restrict-api')).toBeUndefined();
    const deletes = writes(w.requests).filter((r) => r.path.includes('/networkpolicies/restrict-api'));
    expect(deletes.map((r) => [r.method, r.path.includes('dryRun=All')])).toEqual([
      ['DELETE', true],
      ['DELETE', false],
    ]);
    expect(await apiReachable()).toBe(true);
    const after = JSON.parse((await w.inc(['triage', '-n', 'payments', '-o', 'json', '--sample', '1s'])).stdout);
    expect(after.findings.filter((f: RawJson) => f.reason === 'TrafficDrop')).toEqual([]);
    expect(after.signals.workloads.find((s: RawJson) => s.workload.name === 'api').requestRate.now).toBeGreaterThan(0);

    const deleted = actionEvents(w).find((e) => e.action === 'networkpolicy.revert' && e.phase === 'applied')!;
    expect(deleted.inverse).toMatchObject({
      action: 'networkpolicy.revert',
      with: {
        namespace: 'payments',
        policy: 'restrict-api',
        version: { spec: { podSelector: { matchLabels: { app: 'api' } } } },
      },
    });
    const undo = await w.inc(['undo', deleted.actionId, '--yes']);
    expectExit(undo, 0);
    const back = w.object('NetworkPolicy', 'payments', 'restrict-api');
    expect(back.spec).toEqual({ podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] });
    expect(back.metadata.annotations['kubernetes.io/change-cause']).toBe('restrict ingress to payments/api');
    expect(await apiReachable()).toBe(false);
  });

  it('with the manifest in git, restores the version HEAD~1 holds, and inc undo restores the bad one', async () => {
    const repo = makeTwoCommitRepo(w.home, 'k8s/netpol.yaml', GOOD_POLICY, BAD_POLICY);
    const fromGit = [...REVERT, '--set', 'file=k8s/netpol.yaml', '--set', `repo=${repo}`];
    const run = await w.inc([...fromGit, '--yes']);
    expectExit(run, 0);
    expect(run.stdout + run.stderr).toContain(
      'restore networkpolicy payments/restrict-api from HEAD~1:k8s/netpol.yaml',
    );
    const restored = w.object('NetworkPolicy', 'payments', 'restrict-api');
    expect(restored.spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
    expect(await apiReachable()).toBe(true);

    const applied = actionEvents(w).filter((e) => e.action === 'networkpolicy.revert' && e.phase === 'applied');
    const last = applied[applied.length - 1]!;
    expect(last.inverse.with.version.spec.ingress).toBeUndefined();
    const undo = await w.inc(['undo', last.actionId, '--yes']);
    expectExit(undo, 0);
    expect(w.object('NetworkPolicy', 'payments', 'restrict-api').spec.ingress).toBeUndefined();
    expect(await apiReachable()).toBe(false);

    const wrong = await w.inc([...fromGit, '--set', 'policy=other', '--yes']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('holds no NetworkPolicy named other (found: NetworkPolicy restrict-api)');
  });
});
