import { afterEach, describe, expect, it } from 'vitest';
import {
  actionEvents,
  expectExit,
  makeTwoCommitRepo,
  openSimWorld,
  type RawJson,
  type SimWorld,
  writes,
} from './playbooks-sim.js';

/** configmap-rollback on bad-config: the ConfigMap from git, the restart of its reader, and inc undo. */

const GOOD = { PAYMENTS_URL: 'http://api.payments.svc.cluster.local/v1', CURRENCY: 'EUR', TIMEOUT_MS: '2000' };
const BAD = { PAYMENTS_API_URL: 'http://api.payments.svc.cluster.local/v1', CURRENCY: 'EUR', TIMEOUT_MS: '2000' };

function manifest(kind: 'ConfigMap' | 'Secret', data: Record<string, string>): string {
  const lines = Object.entries(data).map(([key, value]) => `  ${key}: "${value}"`);
  return `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: checkout-config\n  namespace: shop\ndata:\n${lines.join('\n')}\n`;
}

/** A repository whose HEAD~1 holds the good ConfigMap and HEAD the bad one. */
function makeRepo(home: string, first = manifest('ConfigMap', GOOD)): string {
  return makeTwoCommitRepo(home, 'k8s/configmap.yaml', first, manifest('ConfigMap', BAD));
}

const ready = (pod: RawJson) => pod.status?.conditions?.some((c: RawJson) => c.type === 'Ready' && c.status === 'True');

describe('inc run configmap-rollback', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });

  it('restores the data from git, restarts the deployment that reads it, and inc undo puts the bad data back', async () => {
    const w = await openSimWorld('bad-config', 60);
    worlds.push(w);
    const repo = makeRepo(w.home);
    expectExit(await w.inc(['start', 'checkout crash-looping', '--severity', 'SEV2']), 0);
    const triage = await w.inc(['triage', '-n', 'shop', '--repo', repo, '-o', 'json']);
    // The checkout pods crash-loop (or, caught between two restarts, run but are not Ready; on a slow
    // machine the simulated clock may already have passed the restart's progress deadline): whichever
    // finding comes first on checkout suggests putting the config back from git.
    const findings = JSON.parse(triage.stdout).findings as RawJson[];
    const finding = findings.find((f) => f.workload?.name === 'checkout' && f.suggestion) as RawJson;
    expect(finding, JSON.stringify(findings)).toBeDefined();
    expect(['CrashLoopBackOff', 'NotReady', 'Unhealthy', 'ProgressDeadlineExceeded']).toContain(finding.reason);
    expect(finding.suggestion.playbook).toBe('configmap-rollback');
    expect(finding.suggestion.params).toEqual({
      namespace: 'shop',
      configmap: 'checkout-config',
      file: 'k8s/configmap.yaml',
      repo,
    });

    w.requests.length = 0;
    const sets = ['--set', 'configmap=checkout-config', '--set', 'file=k8s/configmap.yaml', '--set', `repo=${repo}`];
    const run = await w.inc(['run', 'configmap-rollback', '-n', 'shop', ...sets, '--yes']);
    expectExit(run, 0);
    expect(run.stdout + run.stderr).toContain(
      'restore the data of configmap shop/checkout-config from HEAD~1:k8s/configmap.yaml',
    );
    expect(run.stdout + run.stderr).toContain('PAYMENTS_URL');
    expect(w.object('ConfigMap', 'shop', 'checkout-config').data).toEqual(GOOD);
    // Dry run first, then the write with its resourceVersion precondition.
    const configWrites = writes(w.requests).filter((r) => r.path.includes('/configmaps/checkout-config'));
    expect(configWrites.map((r) => r.path.includes('dryRun=All'))).toEqual([true, false]);
    const pods = w.sim.state.list('Pod', 'shop').filter((p) => p.metadata.labels?.app === 'checkout') as RawJson[];
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods.filter((p) => !p.metadata.deletionTimestamp)) expect(ready(pod)).toBe(true);

    const events = actionEvents(w);
    const restored = events.find((e) => e.action === 'configmap.restore' && e.phase === 'applied')!;
    expect(restored.before.data).toEqual(BAD);
    expect(restored.inverse).toMatchObject({ action: 'configmap.restore', with: { data: BAD } });
    expect(events.some((e) => e.action === 'rollout.restart' && e.phase === 'verified')).toBe(true);

    const undo = await w.inc(['undo', restored.actionId, '--yes']);
    expectExit(undo, 0);
    expect(w.object('ConfigMap', 'shop', 'checkout-config').data).toEqual(BAD);
  });

  it('refuses a Secret, a manifest of another ConfigMap, and a revision that is an option', async () => {
    const w = await openSimWorld('bad-config', 60);
    worlds.push(w);
    const repo = makeRepo(w.home, manifest('Secret', GOOD));
    const sets = ['--set', 'configmap=checkout-config', '--set', 'file=k8s/configmap.yaml', '--set', `repo=${repo}`];
    const secret = await w.inc(['run', 'configmap-rollback', '-n', 'shop', ...sets, '--yes']);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('Secrets are refused');
    const other = await w.inc([
      'run',
      'configmap-rollback',
      '-n',
      'payments',
      ...sets,
      '--set',
      'revision=HEAD',
      '--yes',
    ]);
    expect(other.code).not.toBe(0);
    const option = await w.inc([
      'run',
      'configmap-rollback',
      '-n',
      'shop',
      ...sets,
      '--set',
      'revision=--output=/tmp/x',
      '--yes',
    ]);
    expect(option.code).toBe(2);
    expect(w.object('ConfigMap', 'shop', 'checkout-config').data).toEqual(BAD);
    expect(writes(w.requests)).toEqual([]);
  });
});
