import { afterEach, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld, writes } from './playbooks-sim.js';

describe('cordon-node on a dead node', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });

  it('cordons the node and moves its pods (not DaemonSet pods) to healthy nodes; undo uncordons', async () => {
    const w = await openSimWorld('node-failure');
    worlds.push(w);
    expectExit(await w.inc(['start', 'node-2 down', '--severity', 'SEV2']), 0);
    const podsOn = (node: string) =>
      w.sim.state.list('Pod').filter((p) => (p.spec as { nodeName?: string })?.nodeName === node);
    const before = podsOn('node-2');
    const movable = before.filter((p) => !p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet'));
    expect(movable.length).toBeGreaterThan(0);

    const result = await w.inc(['run', 'cordon-node', '--set', 'node=node-2', '--yes']);
    expectExit(result, 0);
    expect(result.stderr).toContain(`evict ${movable.length} pod(s) from node node-2 through the Eviction API`);
    // Said before the change: an undo uncordons, it does not bring the evicted pods back.
    expect(result.stderr).toContain('warning: inc undo does not bring evicted pods back');
    // As kubectl drain: evictions (a dry run of each first), never a plain delete.
    const podWrites = writes(w.requests).filter((r) => r.path.includes('/pods/'));
    expect(podWrites.filter((r) => r.method === 'POST' && /\/eviction\?dryRun=All$/.test(r.path))).toHaveLength(
      movable.length,
    );
    expect(podWrites.filter((r) => r.method === 'POST' && /\/eviction$/.test(r.path))).toHaveLength(movable.length);
    expect(podWrites.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(w.object('Node', undefined, 'node-2').spec.unschedulable).toBe(true);
    w.sim.advance(30_000, 5_000);
    const left = podsOn('node-2').filter((p) => !p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet'));
    expect(left.map((p) => p.metadata.name)).toEqual([]);
    // Their controllers replaced them on the healthy nodes.
    for (const pod of movable) {
      const prefix = pod.metadata.name.replace(/-[a-z0-9]+$/, '');
      const replacement = w.sim.state
        .list('Pod', pod.metadata.namespace)
        // A StatefulSet re-creates its pod under the same name (with a new uid); others under a new name.
        .find(
          (p) =>
            p.metadata.uid !== pod.metadata.uid &&
            (p.metadata.name === pod.metadata.name || p.metadata.name.startsWith(prefix)),
        );
      expect((replacement?.spec as { nodeName?: string } | undefined)?.nodeName, pod.metadata.name).toMatch(
        /^node-[13]$/,
      );
    }

    const undo = await w.inc(['undo', '--yes']);
    expectExit(undo, 0);
    expect(w.object('Node', undefined, 'node-2').spec.unschedulable ?? false).toBe(false);
  });
});
