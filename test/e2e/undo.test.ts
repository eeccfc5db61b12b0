import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type RawJson, type SimWorld, writes } from './playbooks-sim.js';

interface LoggedEvent {
  type: string;
  data: RawJson;
}

function actionEvents(w: SimWorld): RawJson[] {
  const dir = join(w.env.INC_HOME as string, 'incidents');
  const [incident] = readdirSync(dir);
  const lines = readFileSync(join(dir, incident as string, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n');
  return lines
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((e) => e.type === 'action')
    .map((e) => e.data);
}

/** `inc run scale` of payments/worker (two replicas in the bad-deploy scenario), without questions. */
const scaleWorker = (replicas: number) => [
  ...['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', `replicas=${replicas}`],
  '--yes',
];

describe('inc undo', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  async function world(scenario: string, speed?: number): Promise<SimWorld> {
    const w = await openSimWorld(scenario, speed);
    worlds.push(w);
    expectExit(await w.inc(['start', 'payments api failing', '--severity', 'SEV2']), 0);
    return w;
  }

  it('reverts a rollback from its recorded inverse, and the log holds both with before/after', async () => {
    const w = await world('bad-deploy');
    const image = () => w.object('Deployment', 'shop', 'web').spec.template.spec.containers[0].image;
    expect(
      (await w.kubectl(['set', 'image', 'deployment/web', 'web=registry.example.com/shop/web:4.0.3', '-n', 'shop']))
        .exitCode,
    ).toBe(0);
    w.sim.advance(60_000, 5_000);
    const original = w.object('Deployment', 'shop', 'web').spec.template;
    expectExit(await w.inc(['run', 'rollback', '-n', 'shop', '--set', 'deployment=web', '--yes']), 0);
    expect(image()).toBe('registry.example.com/shop/web:4.0.2');

    w.requests.length = 0;
    const dry = await w.inc(['undo', '--dry-run']);
    expectExit(dry, 0);
    expect(dry.stdout).toContain('roll back deployment shop/web from revision 3 to revision 2');
    expect(writes(w.requests).every((r) => r.path.includes('dryRun=All'))).toBe(true);
    expect(image()).toBe('registry.example.com/shop/web:4.0.2');

    const undo = await w.inc(['undo', '--yes']);
    expectExit(undo, 0);
    expect(image()).toBe('registry.example.com/shop/web:4.0.3');
    expect(w.object('Deployment', 'shop', 'web').spec.template).toEqual(original);

    const events = actionEvents(w);
    const mitigation = events.filter((e) => e.playbook === 'rollback' && e.step === 'undo');
    expect(mitigation.map((e) => e.phase)).toEqual(['planned', 'applied', 'verified']);
    const applied = mitigation.find((e) => e.phase === 'applied')!;
    expect(applied.before['spec.template'].spec.containers[0].image).toBe('registry.example.com/shop/web:4.0.3');
    expect(applied.after['spec.template'].spec.containers[0].image).toBe('registry.example.com/shop/web:4.0.2');
    expect(applied.inverse).toMatchObject({
      action: 'rollout.undo',
      with: { namespace: 'shop', deployment: 'web', toRevision: 2 },
    });
    expect(applied).toMatchObject({
      context: 'inc-sim',
      namespace: 'shop',
      target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    });

    // The dry run planned the undo without linking it; the real undo is linked from its undone event.
    const undone = events.find((e) => e.phase === 'undone')!;
    expect(undone.undoes).toBe(applied.actionId);
    const reverts = events.filter((e) => e.actionId === undone.actionId);
    expect(reverts.map((e) => e.phase)).toEqual(['planned', 'applied', 'undone', 'verified']);
    expect(events.filter((e) => e.undoes && e.phase === 'planned')).toEqual([]);
    expect(undone.before['spec.template'].spec.containers[0].image).toBe('registry.example.com/shop/web:4.0.2');
    expect(undone.after['spec.template'].spec.containers[0].image).toBe('registry.example.com/shop/web:4.0.3');

    const again = await w.inc(['undo', '--yes']);
    expectExit(again, 2);
    expect(again.stderr).toContain('no applied mitigation with an inverse is left to undo');
  });

  it('restores a crash-looping version as asked, and says that it does not roll out', async () => {
    const w = await world('bad-deploy', 300);
    const original = w.object('Deployment', 'payments', 'api').spec.template;
    expectExit(await w.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes']), 0);
    const undo = await w.inc(['undo', '--yes']);
    expect(w.object('Deployment', 'payments', 'api').spec.template).toEqual(original);
    expect(undo.stderr).toContain('reverted, but the restored state does not verify');
    expectExit(undo, 1);
    expect(actionEvents(w).some((e) => e.phase === 'undone')).toBe(true);
  });

  it('reverts a scale to the replicas before it', async () => {
    const w = await world('bad-deploy');
    expect(
      (await w.inc(['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', 'replicas=4', '--yes']))
        .code,
    ).toBe(0);
    expect(w.object('Deployment', 'payments', 'worker').spec.replicas).toBe(4);
    expectExit(await w.inc(['undo', '--yes']), 0);
    expect(w.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('refuses to undo on another cluster that has the same context name, and changes neither', async () => {
    const w = await world('bad-deploy');
    expectExit(await w.inc(scaleWorker(4)), 0);
    const other = await openSimWorld('bad-deploy');
    worlds.push(other);
    // Both kubeconfigs name their context inc-sim, as many kubeconfigs name theirs `default`.
    const undo = await w.inc(['undo', '--yes'], { KUBECONFIG: other.sim.kubeconfigPath });
    expectExit(undo, 2);
    expect(undo.stderr).toMatch(/was applied on context inc-sim at http:\/\/127\.0\.0\.1:\d+, but .*another cluster/);
    expect(other.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
    expect(w.object('Deployment', 'payments', 'worker').spec.replicas).toBe(4);
  });

  it('turns Argo CD auto-sync back on with the settings it had', async () => {
    const w = await world('argo-selfheal');
    const automated = w.object('Application', 'argocd', 'payments-api').spec.syncPolicy.automated;
    expectExit(await w.inc(['run', 'argo-pause-sync', '--set', 'app=payments-api', '--yes']), 0);
    expect(w.object('Application', 'argocd', 'payments-api').spec.syncPolicy.automated ?? null).toBeNull();
    const undo = await w.inc(['undo', '--yes']);
    expectExit(undo, 0);
    expect(w.object('Application', 'argocd', 'payments-api').spec.syncPolicy.automated).toEqual(automated);
    const events = actionEvents(w);
    expect(events.some((e) => e.action === 'argo.autosync' && e.phase === 'undone' && e.undoes)).toBe(true);
  });

  it('without a terminal and without --yes changes nothing and exits 2', async () => {
    const w = await world('bad-deploy');
    expect(
      (await w.inc(['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', 'replicas=4', '--yes']))
        .code,
    ).toBe(0);
    w.requests.length = 0;
    const undo = await w.inc(['undo']);
    expectExit(undo, 2);
    expect(undo.stderr).toContain('--yes');
    expect(writes(w.requests)).toEqual([]);
    expect(w.object('Deployment', 'payments', 'worker').spec.replicas).toBe(4);
  });

  it('walks forward too: each hint names the exact action, undoing the undo redoes, the banner names its namespace', async () => {
    const w = await world('bad-deploy');
    const replicas = () => w.object('Deployment', 'payments', 'worker').spec.replicas;
    const hint = (stdout: string, what: string) => new RegExp(`${what}: inc undo (\\S+)`).exec(stdout)?.[1];
    const scale = await w.inc(scaleWorker(4));
    expectExit(scale, 0);
    const mitigation = hint(scale.stdout, 'to revert');
    expect(scale.stdout).toContain(`to revert: inc undo ${mitigation} (scale deployment payments/worker`);
    // inc undo's help sends the user to inc log for the ids: each line of the action names it.
    const log = await w.inc(['log']);
    expectExit(log, 0);
    const actionLines = log.stdout.split('\n').filter((line) => line.includes('action '));
    expect(actionLines.length, log.stdout).toBeGreaterThan(0);
    for (const line of actionLines)
      expect(line).toMatch(new RegExp(`scale deployment payments/worker.*\\(${mitigation}\\)$`));

    const undo = await w.inc(['undo', '--yes']);
    expectExit(undo, 0);
    expect(replicas()).toBe(2);
    // The undo acts in payments, whatever the context's default namespace is.
    expect(undo.stderr).toContain('namespace: payments');
    expect(undo.stdout).not.toContain('to revert');
    const undoId = hint(undo.stdout, 'to redo \\(revert this undo\\)');
    expect(undoId, undo.stdout).toBeDefined();
    expect(undoId).not.toBe(mitigation);

    const redo = await w.inc(['undo', undoId as string, '--yes']);
    expectExit(redo, 0);
    expect(redo.stderr).toContain(`redoing ${mitigation}: reverting its undo ${undoId}`);
    expect(replicas()).toBe(4);
    const redoId = hint(redo.stdout, 'to revert');
    expect(redoId, redo.stdout).toBeDefined();

    // inc undo reverts the newest change in effect: the redo.
    const again = await w.inc(['undo', '--yes']);
    expectExit(again, 0);
    expect(again.stderr).toContain(`undoing ${redoId}`);
    expect(replicas()).toBe(2);
  });

  it('gives no undo hint when nothing was recorded', async () => {
    const w = await openSimWorld('bad-deploy');
    worlds.push(w);
    const scale = await w.inc(scaleWorker(3));
    expectExit(scale, 0);
    expect(scale.stderr).toContain('nothing was recorded');
    expect(scale.stdout).not.toContain('inc undo');
    expect(scale.stderr).not.toContain('inc undo');
  });
});
