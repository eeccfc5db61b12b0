import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { SimClock } from '../../../src/sim/clock.js';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { ApiStatusError } from '../../../src/sim/status.js';
import { SimStore, type StoreEvent } from '../../../src/sim/store.js';

function deployment(name: string, image = 'web:1'): SimObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image }] } } },
  };
}

describe('SimStore', () => {
  it('fills uid, creationTimestamp from the clock, generation 1 and a rising resourceVersion', () => {
    const store = new SimStore(new FakeClock('2026-03-01T10:00:00.456Z'));
    const a = store.create(deployment('a'));
    const b = store.create(deployment('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toBe('2026-03-01T10:00:00Z');
    expect(a.metadata.generation).toBe(1);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.resourceVersion).toBe(Number(b.metadata.resourceVersion));
  });

  it('bumps generation on a spec change only, and keeps uid and creationTimestamp', () => {
    const store = new SimStore(new FakeClock());
    const created = store.create(deployment('a'));
    const withStatus = store.update({ ...structuredClone(created), status: { replicas: 2 } });
    expect(withStatus.metadata.generation).toBe(1);
    const changed = structuredClone(withStatus);
    (changed.spec as { replicas: number }).replicas = 5;
    changed.metadata.uid = 'forged';
    const updated = store.update(changed);
    expect(updated.metadata.generation).toBe(2);
    expect(updated.metadata.uid).toBe(created.metadata.uid);
  });

  it('detects a spec change even when the caller mutated the stored object in place', () => {
    const store = new SimStore(new FakeClock());
    const created = store.create(deployment('a'));
    (created.spec as { replicas: number }).replicas = 9;
    expect(store.update(created).metadata.generation).toBe(2);
  });

  it('names objects from generateName and refuses duplicates with AlreadyExists', () => {
    const store = new SimStore(new FakeClock());
    const pod = store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: '', generateName: 'web-', namespace: 'shop' },
    });
    expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    store.create(deployment('a'));
    const error = (() => {
      try {
        store.create(deployment('a'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiStatusError);
    expect((error as ApiStatusError).code).toBe(409);
    expect((error as ApiStatusError).message).toBe('deployments.apps "a" already exists');
  });

  it('lists in namespace/name order and by namespace', () => {
    const store = new SimStore(new FakeClock());
    store.create(deployment('b'));
    store.create({ ...deployment('z'), metadata: { name: 'z', namespace: 'alpha' } });
    store.create(deployment('a'));
    expect(store.list('Deployment').map((d) => d.metadata.name)).toEqual(['z', 'a', 'b']);
    expect(store.list('Deployment', 'shop').map((d) => d.metadata.name)).toEqual(['a', 'b']);
    expect(store.list('Nothing')).toEqual([]);
  });

  it('collects dependents whose owners are all gone, transitively, and keeps orphans', () => {
    const store = new SimStore(new FakeClock());
    const owner = store.create(deployment('web'));
    const ref = (o: SimObject) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      uid: o.metadata.uid!,
      controller: true,
    });
    const rs = store.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [ref(owner)] },
    });
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1-x', namespace: 'shop', ownerReferences: [ref(rs)] },
    });
    store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loose', namespace: 'shop' } });
    store.delete('Deployment', 'shop', 'web');
    expect(store.list('ReplicaSet')).toEqual([]);
    expect(store.list('Pod').map((p) => p.metadata.name)).toEqual(['loose']);
  });

  it('deleting a namespace deletes what it holds', () => {
    const store = new SimStore(new FakeClock());
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    store.create(deployment('a'));
    store.delete('Namespace', undefined, 'shop');
    expect(store.list('Deployment')).toEqual([]);
  });

  it('notifies listeners and replays changes since a resourceVersion; compacted history expires', () => {
    const store = new SimStore(new FakeClock());
    const seen: StoreEvent[] = [];
    store.subscribe((e) => seen.push(e));
    const a = store.create(deployment('a'));
    const from = Number(a.metadata.resourceVersion);
    store.update({ ...structuredClone(a), status: { replicas: 1 } });
    store.delete('Deployment', 'shop', 'a');
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(store.changesSince(from).map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(seen[2]!.stored.object.metadata.resourceVersion).toBe(String(store.resourceVersion));
    store.compact();
    expect(() => store.changesSince(from)).toThrow(/too old resource version/);
    expect(store.changesSince(store.resourceVersion)).toEqual([]);
  });

  it('drops the oldest history beyond its limit', () => {
    const store = new SimStore(new FakeClock(), { historyLimit: 2 });
    const a = store.create(deployment('a'));
    store.create(deployment('b'));
    store.create(deployment('c'));
    expect(() => store.changesSince(Number(a.metadata.resourceVersion) - 1)).toThrow(ApiStatusError);
  });
});

describe('SimClock', () => {
  it('runs speed× the base clock from its start and fast-forwards in steps', () => {
    const base = new FakeClock('2026-01-01T00:00:00Z');
    const clock = new SimClock({ start: '2026-05-01T12:00:00Z', speed: 10, base });
    base.advance(1000);
    expect(clock.now().toISOString()).toBe('2026-05-01T12:00:10.000Z');
    const steps: string[] = [];
    clock.onStep((now) => steps.push(now.toISOString()));
    clock.advance(2500, 1000);
    expect(steps).toEqual(['2026-05-01T12:00:11.000Z', '2026-05-01T12:00:12.000Z', '2026-05-01T12:00:12.500Z']);
  });

  it('stands still at speed 0 until advanced', () => {
    const base = new FakeClock();
    const clock = new SimClock({ start: '2026-05-01T12:00:00Z', speed: 0, base });
    base.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-05-01T12:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
