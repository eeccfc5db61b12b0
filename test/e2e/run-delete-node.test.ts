import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type RawJson, type SimWorld, writes } from './playbooks-sim.js';

describe('delete-node on a node that will not come back', () => {
  let w: SimWorld;
  beforeAll(async () => {
    w = await openSimWorld('node-failure');
    // The simulator's context is protected here, so the deletion needs its name typed (--confirm-context).
    mkdirSync(join(w.home, 'config', 'inc'), { recursive: true });
    writeFileSync(join(w.home, 'config', 'inc', 'config.yaml'), 'protectedContexts: [inc-sim]\n');
    expectExit(await w.inc(['start', 'node-2 gone for good', '-s', 'P2']), 0);
  });
  afterAll(async () => w.close());

  const podsOn = (node: string) =>
    w.sim.state.list('Pod').filter((p) => (p.spec as { nodeName?: string })?.nodeName === node);
  const events = (): RawJson[] => {
    const incidents = join(w.env.INC_HOME ?? '', 'incidents');
    const [id] = readdirSync(incidents);
    return readFileSync(join(incidents, id ?? '', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  };

  it('refuses a Ready node before any change, and a protected context without its name', async () => {
    w.requests.length = 0;
    const ready = await w.inc(['run', 'delete-node', '--set', 'node=node-1', '--yes', '--confirm-context', 'inc-sim']);
    expect(ready.code).toBe(1);
    expect(ready.stderr).toContain('node node-1 is Ready: its kubelet is running and would register it again');
    const unnamed = await w.inc(['run', 'delete-node', '--set', 'node=node-2', '--yes']);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('--confirm-context inc-sim');
    expect(writes(w.requests)).toEqual([]);
    expect(w.object('Node', undefined, 'node-1').spec.unschedulable).toBeUndefined();
  });

  it('--dry-run shows the Node it would delete, the server dry run and that it cannot be undone', async () => {
    w.requests.length = 0;
    const plan = await w.inc(['run', 'delete-node', '--set', 'node=node-2', '--dry-run']);
    expectExit(plan, 0);
    expect(plan.stdout).toContain('delete node node-2 from the API server (cannot be undone)');
    expect(plan.stdout).toContain('inverse: none, this cannot be undone: a deleted Node object cannot be put back');
    expect(plan.stdout).toContain('-metadata:');
    expect(plan.stdout).toMatch(/-\s+name: node-2\n/);
    expect(writes(w.requests).every((r) => r.path.includes('dryRun=All'))).toBe(true);
    expect(w.sim.state.get('Node', undefined, 'node-2')).toBeDefined();
  });

  it('cordons, drains by eviction, deletes the Node (dry run first); its pods are replaced; recorded as not undoable', async () => {
    const bound = podsOn('node-2');
    expect(bound.length).toBeGreaterThan(0);
    w.requests.length = 0;
    const run = await w.inc(['run', 'delete-node', '--set', 'node=node-2', '--yes', '--confirm-context', 'inc-sim']);
    expectExit(run, 0);
    expect(w.sim.state.get('Node', undefined, 'node-2')).toBeUndefined();
    const nodeWrites = writes(w.requests).filter((r) => r.path.startsWith('/api/v1/nodes/node-2'));
    expect(nodeWrites.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /api/v1/nodes/node-2?dryRun=All',
      'PATCH /api/v1/nodes/node-2',
      'DELETE /api/v1/nodes/node-2?dryRun=All',
      'DELETE /api/v1/nodes/node-2',
    ]);
    // Drained through the Eviction API, never a plain pod delete.
    expect(writes(w.requests).some((r) => r.method === 'POST' && /\/eviction$/.test(r.path))).toBe(true);
    expect(writes(w.requests).filter((r) => r.method === 'DELETE' && r.path.includes('/pods/'))).toEqual([]);
    expect(podsOn('node-2')).toEqual([]);
    expect(run.stdout).toContain('not undoable: delete (a deleted Node object cannot be put back');
    // The cordon of the node deleted since has nothing left to revert: no `to revert` offers it.
    expect(run.stdout).not.toContain('uncordon node node-2');
    // The deployments are whole again on the remaining nodes.
    for (const [namespace, name, replicas] of [
      ['payments', 'api', 3],
      ['shop', 'web', 3],
    ] as const) {
      const pods = w.sim.state
        .list('Pod', namespace)
        .filter((p) => p.metadata.name.startsWith(`${name}-`) && !p.metadata.deletionTimestamp);
      expect(pods.length, `${namespace}/${name}`).toBe(replicas);
      for (const pod of pods) expect((pod.spec as { nodeName?: string }).nodeName).toMatch(/^node-[13]$/);
    }

    const deleted = events().filter((e) => e.type === 'action' && e.data.action === 'node.delete' && !e.data.dryRun);
    expect(deleted.map((e) => e.data.phase)).toEqual(['planned', 'applied', 'verified']);
    const applied = deleted.find((e) => e.data.phase === 'applied');
    expect(applied?.data.irreversible).toContain('a deleted Node object cannot be put back');
    expect(applied?.data.inverse).toBeUndefined();
    const verified = deleted.find((e) => e.data.phase === 'verified');
    expect(verified?.data.summary).toMatch(/node node-2 deleted; \d+ pod\(s\) that were bound to it are gone/);
    const undo = await w.inc(['undo', applied?.data.actionId, '--yes', '--confirm-context', 'inc-sim']);
    expect(undo.code).toBe(2);
    expect(undo.stderr).toContain('cannot be undone: a deleted Node object cannot be put back');
    // The cordon before it is not offered either: its Node is gone.
    const last = await w.inc(['undo', '--yes', '--confirm-context', 'inc-sim']);
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('no applied mitigation with an inverse is left to undo');

    const nodes = await w.kubectl(['get', 'nodes', '-o', 'name']);
    expect(nodes.stdout.trim().split('\n')).toEqual(['node/node-1', 'node/node-3']);
    const wide = await w.kubectl(['get', 'pods', '-A', '-o', 'wide']);
    expect(wide.exitCode).toBe(0);
    expect(wide.stdout).not.toContain('node-2');
  });
});
