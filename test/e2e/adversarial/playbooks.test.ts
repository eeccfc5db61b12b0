import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiredState, expectExit, openSimWorld, type SimWorld, writes } from '../playbooks-sim.js';

/** Writes a playbook into the user's playbook folder (trusted: the user put it there). */
function userPlaybook(world: SimWorld, name: string, text: string): string {
  const dir = join(world.env.XDG_CONFIG_HOME as string, 'inc', 'playbooks');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** A copy of the world's kubeconfig whose context has another name (a production-looking one). */
function kubeconfigNamed(world: SimWorld, context: string): string {
  const file = join(world.home, `kubeconfig-${context}`);
  writeFileSync(file, readFileSync(world.env.KUBECONFIG as string, 'utf8').replaceAll('inc-sim', context), {
    mode: 0o600,
  });
  return file;
}

describe('confirm: false does not make a script run a change', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  it('refuses before the first step without a terminal and without --yes (scale, exec, http POST)', async () => {
    const marker = join(world.home, 'exec-ran');
    userPlaybook(
      world,
      'quiet-zero',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-zero, title: Scale to zero without asking }
steps:
  - { id: say, action: note, with: { text: first a harmless step } }
  - { id: zero, action: scale, confirm: false, with: { namespace: payments, deployment: worker, replicas: 0 } }
`,
    );
    userPlaybook(
      world,
      'quiet-exec',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-exec, title: Run a program without asking }
steps:
  - { id: touch, action: exec, confirm: false, with: { command: [touch, ${JSON.stringify(marker)}] } }
`,
    );
    userPlaybook(
      world,
      'quiet-post',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-post, title: Post without asking }
steps:
  - id: post
    action: http
    confirm: false
    with: { url: "http://127.0.0.1:9/flags", method: POST, mutating: false }
`,
    );
    const before = desiredState(world.sim);
    world.requests.length = 0;
    for (const name of ['quiet-zero', 'quiet-exec', 'quiet-post']) {
      const result = await world.inc(['run', name]);
      expectExit(result, 2);
      expect(result.stderr).toContain(`playbook ${name} (it changes something) needs confirmation`);
      expect(result.stderr).toContain('--yes');
      // Refused before the first step: not even the note ran.
      expect(result.stderr).not.toContain('[1/');
    }
    expect(writes(world.requests)).toEqual([]);
    expect(desiredState(world.sim)).toEqual(before);
    expect(existsSync(marker)).toBe(false);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('with --yes the step runs without its question', async () => {
    const result = await world.inc(['run', 'quiet-zero', '--yes']);
    expectExit(result, 0);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(0);
  });
});

describe('protected contexts', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  const scale = ['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', 'replicas=4'];

  it('are matched in any case; --yes alone is refused with exit 2 naming --confirm-context', async () => {
    world.requests.length = 0;
    for (const context of ['PROD-eu', 'Production', 'gke_acme_europe-west1_PRD']) {
      const result = await world.inc([...scale, '--yes'], { KUBECONFIG: kubeconfigNamed(world, context) });
      expectExit(result, 2);
      expect(result.stderr).toContain(`"${context}" is a protected context: --yes alone does not apply changes there`);
      expect(result.stderr).toContain(`--confirm-context ${context}`);
    }
    expect(writes(world.requests)).toEqual([]);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('--confirm-context naming another context is refused', async () => {
    const result = await world.inc([...scale, '--yes', '--confirm-context', 'PROD-us'], {
      KUBECONFIG: kubeconfigNamed(world, 'PROD-eu'),
    });
    expectExit(result, 2);
    expect(result.stderr).toContain('--confirm-context names "PROD-us", but the changes would go to context "PROD-eu"');
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('--yes with --confirm-context NAME applies, and the banner says how it was confirmed', async () => {
    const result = await world.inc([...scale, '--yes', '--confirm-context', 'PROD-eu'], {
      KUBECONFIG: kubeconfigNamed(world, 'PROD-eu'),
    });
    expectExit(result, 0);
    expect(result.stderr).toContain('context:   PROD-eu  (protected; confirmed by --confirm-context)');
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(4);
  });
});
