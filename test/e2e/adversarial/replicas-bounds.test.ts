import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiredState, openSimWorld, type SimWorld, writes } from '../playbooks-sim.js';
import { scaleArgs } from './scale-args.js';

/** Counts Kubernetes cannot store must be refused by inc, before a request leaves. */
describe('inc run scale with a replica count past int32', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('healthy');
  });
  afterAll(async () => world.close());

  const scaleTo = (replicas: string, flag: string) => world.inc(scaleArgs('worker', replicas, flag));

  for (const replicas of ['2147483648', '99999999999', '99999999999999999999']) {
    it(`replicas=${replicas}: exit 2 with a clear error, no request sent`, async () => {
      const before = desiredState(world.sim);
      world.requests.length = 0;
      const result = await scaleTo(replicas, '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('invalid value for parameter "replicas"');
      expect(result.stderr).not.toMatch(/unexpected error|bug/);
      expect(writes(world.requests)).toEqual([]);
      expect(desiredState(world.sim)).toEqual(before);
    });
  }

  it('the largest int32 passes validation and reaches the server dry run', async () => {
    const result = await scaleTo('2147483647', '--dry-run');
    expect(result.stderr).not.toContain('invalid value for parameter "replicas"');
    expect(result.stdout).toContain('to 2147483647 replicas');
  });
});
