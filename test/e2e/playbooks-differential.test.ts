import { afterEach, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld, templateOf } from './playbooks-sim.js';

/**
 * Twin simulators from the same scenario: the real kubectl acts on one, inc on the other, and the
 * resulting objects must be the same.
 */
describe('inc run against the real kubectl on twin simulators', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });

  async function twins(scenario: string): Promise<[SimWorld, SimWorld]> {
    const pair = await Promise.all([openSimWorld(scenario), openSimWorld(scenario)]);
    worlds.push(...pair);
    return pair;
  }

  it('rollback leaves the same template and revision annotations as kubectl rollout undo', async () => {
    const [viaKubectl, viaInc] = await twins('bad-deploy');
    expect(templateOf(viaKubectl.object('Deployment', 'payments', 'api'))).toEqual(
      templateOf(viaInc.object('Deployment', 'payments', 'api')),
    );

    const kubectl = await viaKubectl.kubectl(['rollout', 'undo', 'deployment/api', '-n', 'payments']);
    expect(kubectl.stdout).toContain('deployment.apps/api rolled back');
    const inc = await viaInc.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes']);
    expect(inc.stderr).toContain('successfully rolled out');
    expectExit(inc, 0);

    for (const world of [viaKubectl, viaInc]) world.sim.reconcile();
    const expected = templateOf(viaKubectl.object('Deployment', 'payments', 'api'));
    // kubectl 1.31 serialises the zero creationTimestamp as null inside the template; the API server
    // treats null and absent alike (newer kubectl omits it), so it is not a difference in the object.
    if (expected.template.metadata.creationTimestamp === null) delete expected.template.metadata.creationTimestamp;
    const actual = templateOf(viaInc.object('Deployment', 'payments', 'api'));
    expect(actual).toEqual(expected);
    expect(actual.template.spec.containers[0].image).toBe('registry.example.com/payments/api:2.3.0');
    expect(actual.revision).toBe('3');
    expect(viaInc.object('Deployment', 'payments', 'api').metadata.annotations).toEqual(
      viaKubectl.object('Deployment', 'payments', 'api').metadata.annotations,
    );
  });

  it('scale sets the same replicas as kubectl scale', async () => {
    const [viaKubectl, viaInc] = await twins('bad-deploy');
    const kubectl = await viaKubectl.kubectl(['scale', 'deployment/worker', '-n', 'payments', '--replicas=5']);
    expect(kubectl.stdout).toContain('deployment.apps/worker scaled');
    const inc = await viaInc.inc([
      'run',
      'scale',
      '-n',
      'payments',
      '--set',
      'deployment=worker',
      '--set',
      'replicas=5',
      '--yes',
    ]);
    expectExit(inc, 0);
    const a = viaKubectl.object('Deployment', 'payments', 'worker');
    const b = viaInc.object('Deployment', 'payments', 'worker');
    expect(b.spec).toEqual(a.spec);
    expect(b.spec.replicas).toBe(5);
  });

  it('restart sets the same template as kubectl rollout restart, except the timestamp', async () => {
    const [viaKubectl, viaInc] = await twins('bad-deploy');
    const kubectl = await viaKubectl.kubectl(['rollout', 'restart', 'deployment/web', '-n', 'shop']);
    expect(kubectl.stdout).toContain('deployment.apps/web restarted');
    const inc = await viaInc.inc(['run', 'restart', '-n', 'shop', '--set', 'deployment=web', '--yes']);
    expect(inc.stderr).toContain('successfully rolled out');
    expectExit(inc, 0);
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
    const [a, b] = [viaKubectl, viaInc].map((w) => {
      const template = w.object('Deployment', 'shop', 'web').spec.template;
      const restartedAt = template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
      expect(restartedAt).toMatch(stamp);
      delete template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
      return template;
    });
    expect(b).toEqual(a);
    expect(templateOf(viaInc.object('Deployment', 'shop', 'web')).revision).toBe(
      templateOf(viaKubectl.object('Deployment', 'shop', 'web')).revision,
    );
  });
});
