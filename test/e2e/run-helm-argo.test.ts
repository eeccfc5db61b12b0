import { afterEach, describe, expect, it } from 'vitest';
import { HELM } from '../helpers/binaries.js';
import { expectExit, openSimWorld, type SimWorld, writes } from './playbooks-sim.js';

describe('helm and Argo CD mitigations', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  async function world(scenario: string): Promise<SimWorld> {
    const w = await openSimWorld(scenario);
    worlds.push(w);
    return w;
  }

  it('helm-rollback with the real helm brings the old image back; a release missing from the namespace stops the run first', async () => {
    const w = await world('helm-bad-release');
    expectExit(await w.inc(['start', 'checkout crash-looping', '--severity', 'SEV2']), 0);
    w.requests.length = 0;
    const typo = await w.inc(['run', 'helm-rollback', '-n', 'shop', '--set', 'release=chekout', '--yes'], {
      INC_HELM: HELM,
    });
    expectExit(typo, 2);
    expect(typo.stderr).toContain('Helm release "chekout" not found in namespace shop; did you mean checkout?');
    expect(typo.stdout).not.toMatch(/context/i);
    const elsewhere = await w.inc(['run', 'helm-rollback', '-n', 'default', '--set', 'release=checkout', '--yes'], {
      INC_HELM: HELM,
    });
    expectExit(elsewhere, 2);
    expect(elsewhere.stderr).toContain(
      'Helm release "checkout" not found in namespace default; did you mean shop/checkout?',
    );
    expect(writes(w.requests)).toEqual([]);
    const badImage = w.object('Deployment', 'shop', 'checkout').spec.template.spec.containers[0].image;
    const result = await w.inc(
      ['run', 'helm-rollback', '-n', 'shop', '--set', 'release=checkout', '--set', 'timeout=60s', '--yes'],
      {
        INC_HELM: HELM,
      },
    );
    expectExit(result, 0);
    // The plan shows the images the rollback changes, read from each revision's manifest.
    expect(result.stderr).toMatch(/-\s+- registry\.example\.com\/shop\/checkout:1\.5\.0\n/);
    expect(result.stderr).toMatch(/\+\s+- registry\.example\.com\/shop\/checkout:1\.4\.0\n/);
    const image = w.object('Deployment', 'shop', 'checkout').spec.template.spec.containers[0].image;
    expect(image).not.toBe(badImage);
    // The rollout helm made is the incident's mitigation, never a suspect.
    const triage = await w.inc(['triage', '-A', '-o', 'json']);
    const report = JSON.parse(triage.stdout) as { suspects: { change: string }[]; findings: { title: string }[] };
    expect(report.findings.map((f) => f.title).join('\n')).toMatch(
      /deployment shop\/checkout: rollout to revision 3 .*inc's mitigation in this incident/,
    );
    expect(report.suspects.map((s) => s.change).join('\n')).not.toMatch(/rollout to revision 3/);
  });

  it('a helm rollback that times out waiting says the release changed, and records it for inc undo', async () => {
    const w = await world('helm-bad-release');
    expectExit(await w.inc(['start', 'checkout failing', '--severity', 'SEV3']), 0);
    // Revision 2 is the release that crash-loops: helm writes revision 3, then waits in vain.
    const rollback = ['run', 'helm-rollback', '-n', 'shop', '--set', 'release=checkout', '--set', 'revision=2'];
    const result = await w.inc([...rollback, '--set', 'timeout=3s', '--yes'], { INC_HELM: HELM });
    expectExit(result, 1);
    expect(result.stderr).toContain('the release changed all the same: shop/checkout is now at revision 3 (failed');
    expect(result.stderr).toContain('1 change of this run stands applied');
    const log = await w.inc(['log']);
    expect(log.stdout).toMatch(/action applied: roll back Helm release shop\/checkout from revision 2/);
    expect(log.stdout).toMatch(
      /action failed: roll back Helm release shop\/checkout .*the release changed all the same/,
    );
    const undo = await w.inc(['undo', '--dry-run'], { INC_HELM: HELM });
    expectExit(undo, 0);
    expect(undo.stderr + undo.stdout).toContain(
      'roll back Helm release shop/checkout from revision 3 (checkout-1.5.0) to revision 2',
    );
  });

  it('rollback with Argo CD auto-sync on is caught before anything is applied; so is a missing Application or node', async () => {
    const w = await world('argo-selfheal');
    w.requests.length = 0;
    const app = await w.inc(['run', 'argo-pause-sync', '--set', 'app=payments-apj', '--yes']);
    expectExit(app, 2);
    expect(app.stderr).toContain(
      'Argo CD Application "payments-apj" not found in namespace argocd; did you mean payments-api?',
    );
    const node = await w.inc(['run', 'cordon-node', '--set', 'node=no-such-node', '--yes']);
    expectExit(node, 2);
    expect(node.stderr).toContain('node "no-such-node" not found');
    expect(node.stderr).toMatch(/nodes: \S+/);
    expect(writes(w.requests)).toEqual([]);
    const before = w.object('Deployment', 'payments', 'api');
    w.requests.length = 0;
    const result = await w.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes']);
    expectExit(result, 1);
    expect(result.stderr).toContain('managed by Argo CD Application argocd/payments-api with auto-sync on');
    expect(result.stderr).toContain('inc run argo-pause-sync --set app=payments-api --set namespace=argocd');
    expect(writes(w.requests)).toEqual([]);
    expect(w.object('Deployment', 'payments', 'api').spec.template).toEqual(before.spec.template);

    // The trap it avoids: a plain kubectl rollback is put back by self-heal.
    expect((await w.kubectl(['rollout', 'undo', 'deployment/api', '-n', 'payments'])).exitCode).toBe(0);
    w.sim.advance(120_000, 5_000);
    expect(w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image).toBe(
      before.spec.template.spec.containers[0].image,
    );
  });

  it('argo-pause-sync, then rollback: the rollback sticks, and triage says auto-sync is paused', async () => {
    const w = await world('argo-selfheal');
    expectExit(await w.inc(['start', 'payments api crash-looping', '--severity', 'SEV2']), 0);
    const badImage = w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image;
    const pause = await w.inc(['run', 'argo-pause-sync', '--set', 'app=payments-api', '--yes']);
    expectExit(pause, 0);
    const app = w.object('Application', 'argocd', 'payments-api');
    expect(app.spec.syncPolicy.automated ?? null).toBeNull();

    const rollback = await w.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes']);
    expectExit(rollback, 0);
    const rolledBack = w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image;
    expect(rolledBack).not.toBe(badImage);
    // Self-heal would have put the git version back by now; with auto-sync paused it stays.
    w.sim.advance(120_000, 5_000);
    expect(w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image).toBe(rolledBack);
    // Mitigated, the paused sync is still to be undone once its source is fixed: triage says so.
    const triage = await w.inc(['triage', '-A']);
    expect(triage.stdout).toMatch(
      /INFO +argo cd application argocd\/payments-api: auto-sync paused by inc's mitigation at/,
    );
    expect(triage.stdout).toMatch(/fix it in git before auto-sync is back on \(inc undo \S+ turns it on as it was\)/);
    // Its source still holds the crash-looping commit: undoing the pause now would deploy it again.
    const pauseId = /to revert: inc undo (\S+)/.exec(pause.stdout)?.[1] ?? '';
    const undo = await w.inc(['undo', pauseId, '--yes']);
    expectExit(undo, 1);
    expect(undo.stderr).toContain(
      'turning auto-sync of Application argocd/payments-api back on would deploy revision 9f8e7d6 again',
    );
    expect(w.object('Application', 'argocd', 'payments-api').spec.syncPolicy.automated ?? null).toBeNull();
    w.sim.advance(60_000, 5_000);
    expect(w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image).toBe(rolledBack);
  });

  it('argo-rollback after argo-pause-sync syncs the previous revision', async () => {
    const w = await world('argo-selfheal');
    expectExit(await w.inc(['start', 'payments api crash-looping', '--severity', 'SEV2']), 0);
    const badImage = w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image;
    const refused = await w.inc(['run', 'argo-rollback', '--set', 'app=payments-api', '--yes']);
    expectExit(refused, 1);
    expect(refused.stderr).toContain('rollback cannot be initiated when auto-sync is enabled');
    const pause = await w.inc(['run', 'argo-pause-sync', '--set', 'app=payments-api', '--yes']);
    expectExit(pause, 0);
    const result = await w.inc(['run', 'argo-rollback', '--set', 'app=payments-api', '--yes']);
    expect(result.stderr).toContain('operation');
    expectExit(result, 0);
    w.sim.advance(60_000, 5_000);
    expect(w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image).not.toBe(badImage);
    const undo = await w.inc(['undo', /to revert: inc undo (\S+)/.exec(pause.stdout)?.[1] ?? '', '--yes']);
    expect(undo.stderr).toContain('would deploy revision 9f8e7d6 again');
    w.sim.advance(60_000, 5_000);
    expect(w.object('Deployment', 'payments', 'api').spec.template.spec.containers[0].image).not.toBe(badImage);
  });
});
