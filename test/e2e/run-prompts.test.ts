import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/on-terminal.js';
import { expectExit, openSimWorld, type SimWorld, writes } from './playbooks-sim.js';

/** `inc run pin-image` asks what it needs, takes what the cluster leaves no choice about, and names a wrong target. */

const GOOD_IMAGE = 'registry.example.com/shop/web:4.0.2';
const BANNER = /^context: +inc-sim$/m;
/** shop/web named without a namespace: the context's is "default". */
const pinWebFromDefault = ['run', 'pin-image', '--set', 'deployment=web', '--set', `image=${GOOD_IMAGE}`, '--yes'];

describe('inc run: parameters against the cluster', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('image-pull');
  });
  afterAll(async () => world.close());

  it('a deployment that is in another namespace: "did you mean shop/web", exit 2, no banner, nothing sent', async () => {
    world.requests.length = 0;
    const result = await world.inc([...pinWebFromDefault]);
    expectExit(result, 2);
    expect(result.stderr).toContain('deployment "web" not found in namespace default; did you mean shop/web?');
    expect(result.stderr).toContain('hint: pass -n shop (or --set namespace=shop); nothing was changed');
    expect(result.stderr).not.toMatch(BANNER);
    expect(writes(world.requests)).toEqual([]);

    // Every namespace that has one is listed.
    const created = await world.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'payments']);
    expect(created.exitCode, created.stderr).toBe(0);
    const two = await world.inc([...pinWebFromDefault]);
    expectExit(two, 2);
    expect(two.stderr).toContain('did you mean payments/web or shop/web?');

    // Not anywhere: the deployments of the namespace are named instead.
    const none = await world.inc(['run', 'pin-image', '-n', 'shop', '--set', 'deployment=wbe', '--set', 'image=x:1']);
    expectExit(none, 2);
    expect(none.stderr).toContain('deployment "wbe" not found in namespace shop');
    expect(none.stderr).toContain('hint: deployments in shop: cart, checkout, web');
    expect(none.stderr).not.toMatch(BANNER);
  });

  it('takes a deployment’s only container without asking, even in a script', async () => {
    const result = await world.inc([...pinWebFromDefault.slice(0, -1), '-n', 'shop', '--dry-run']);
    expectExit(result, 0);
    expect(result.stderr).toContain('container: web (the only container)');
    expect(result.stdout).toContain(`set the image of web in deployment shop/web to ${GOOD_IMAGE}`);
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal it asks the namespace (from the cluster), then the deployment', async () => {
    // Up from the first choice wraps to the last: shop among the namespaces, web among shop's deployments.
    const up = '\u001b[A';
    const { code, output } = await runOnTerminal(['run', 'pin-image', '--set', `image=${GOOD_IMAGE}`, '--dry-run'], {
      env: world.env,
      cwd: world.home,
      replies: [
        { when: "default (the context's namespace)", send: `${up}\r` },
        { when: 'checkout', send: `${up}\r` },
      ],
    });
    expect(code, output).toBe(0);
    expect(output).toContain('kube-system');
    expect(output).toContain('✔ namespace shop');
    expect(output).toContain('✔ deployment web');
    expect(output).toContain('container: web (the only container)');
    // The banner comes once the target is known: after the questions.
    const banner = output.search(BANNER);
    expect(banner).toBeGreaterThan(output.indexOf('container: web (the only container)'));
    expect(output).toMatch(/^namespace: +shop$/m);
    expect(output).toContain(`set the image of web in deployment shop/web to ${GOOD_IMAGE}`);
  });
});
