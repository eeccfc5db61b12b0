import { randomUUID } from 'node:crypto';
import type { ClusterState, Controller, SimObject } from '../../src/sim/cluster-state.js';

/**
 * An in-memory ClusterState for controller unit tests: the same contract as the simulator's
 * store (stored objects returned read-only, uids, resourceVersions, generation bumps on spec
 * changes, cascading deletes), with a clock that only moves when the test advances it.
 */
export class FakeClusterState implements ClusterState {
  private readonly objects = new Map<string, SimObject>();
  private current: number;
  private version = 1;
  writes = 0;

  constructor(start: Date | string = '2026-03-01T12:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  list(kind: string, namespace?: string): SimObject[] {
    const out: SimObject[] = [];
    for (const object of this.objects.values()) {
      if (object.kind === kind && (namespace === undefined || object.metadata.namespace === namespace)) {
        out.push(object);
      }
    }
    return out;
  }

  get(kind: string, namespace: string | undefined, name: string): SimObject | undefined {
    return this.objects.get(key(kind, namespace, name));
  }

  create(object: SimObject): SimObject {
    const copy = structuredClone(object);
    const meta = copy.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
    const id = key(copy.kind, meta.namespace, meta.name);
    if (this.objects.has(id)) throw new Error(`${copy.kind} ${meta.namespace}/${meta.name} already exists`);
    meta.uid ??= randomUUID();
    meta.resourceVersion = String(this.version++);
    meta.creationTimestamp ??= this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    meta.generation = 1;
    this.objects.set(id, deepFreeze(copy));
    this.writes++;
    return copy;
  }

  update(object: SimObject): SimObject {
    const id = key(object.kind, object.metadata.namespace, object.metadata.name);
    const previous = this.objects.get(id);
    if (!previous) throw new Error(`${object.kind} ${object.metadata.name} not found`);
    const copy = structuredClone(object);
    copy.metadata.uid = previous.metadata.uid;
    copy.metadata.creationTimestamp = previous.metadata.creationTimestamp;
    copy.metadata.resourceVersion = String(this.version++);
    const specChanged = JSON.stringify(previous.spec ?? null) !== JSON.stringify(copy.spec ?? null);
    copy.metadata.generation = (previous.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    this.objects.set(id, deepFreeze(copy));
    this.writes++;
    return copy;
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    const id = key(kind, namespace, name);
    const object = this.objects.get(id);
    if (!object) throw new Error(`${kind} ${namespace ?? ''}/${name} not found`);
    this.objects.delete(id);
    this.writes++;
    const uid = object.metadata.uid;
    for (const child of [...this.objects.values()]) {
      const owned = (child.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
      if (owned && this.objects.has(key(child.kind, child.metadata.namespace, child.metadata.name))) {
        this.delete(child.kind, child.metadata.namespace, child.metadata.name);
      }
    }
  }

  /** Runs the controllers until nothing changes (bounded, like the simulator's tick). */
  reconcile(controllers: readonly Controller[], rounds = 20): void {
    for (let i = 0; i < rounds; i++) {
      const before = this.writes;
      for (const controller of controllers) controller.reconcile(this);
      if (this.writes === before) return;
    }
  }

  /** Moves the clock forward in steps, reconciling after each one. */
  advance(ms: number, controllers: readonly Controller[], stepMs = 1000): void {
    const end = this.current + ms;
    this.reconcile(controllers);
    while (this.current < end) {
      this.current = Math.min(end, this.current + stepMs);
      this.reconcile(controllers);
    }
  }
}

/** Stored objects are frozen, so a controller that changes one without `update` fails loudly. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}
