import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import type { ClusterState, SimKind, SimObject } from './cluster-state.js';
import { applyDefaults } from './defaults.js';
import { type FieldWriter, stampManagedFields } from './managed-fields.js';
import { alreadyExists, notFound, refForKind, tooOldResourceVersion } from './status.js';

/** One stored object at one resourceVersion, with its JSON serialised once and reused by every read. */
export interface StoredObject {
  readonly kind: string;
  readonly key: string;
  readonly rv: number;
  readonly object: SimObject;
  readonly json: string;
  /** `JSON.stringify(object.spec)` at write time: detects spec changes even when a caller mutated `object`. */
  readonly specJson: string | undefined;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  /** The object after the change (for DELETED: the last state, carrying the deletion's resourceVersion). */
  stored: StoredObject;
}

export interface WriteOptions {
  /** Validate and answer as if written, but store nothing (`dryRun=All`). */
  dryRun?: boolean;
  /** Who writes: recorded in managedFields. Without one (the controllers), managedFields stay as they were. */
  writer?: FieldWriter;
}

export type StoreListener = (event: StoreEvent) => void;

interface KindTable {
  byKey: Map<string, StoredObject>;
  sorted: StoredObject[] | undefined;
  /** Index of each key in `sorted`, so an update replaces its entry in place. */
  positions: Map<string, number>;
  /** The resourceVersion of the last change to this kind. */
  revision: number;
}

export interface SimStoreOptions {
  /** How many changes are kept for watches from an older resourceVersion (default 50,000). */
  historyLimit?: number;
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The simulator's in-memory store: objects by kind, one cluster-wide resourceVersion counter, uids,
 * generations, owner-based garbage collection and a bounded change history for watches.
 * Implements the controllers' ClusterState; the HTTP layer uses the richer methods below.
 */
export class SimStore implements ClusterState {
  private readonly tables = new Map<string, KindTable>();
  private readonly uids = new Map<string, StoredObject>();
  private readonly listeners = new Set<StoreListener>();
  private readonly history: StoreEvent[] = [];
  private readonly historyLimit: number;
  private revision = 1;
  /** The oldest resourceVersion a watch may start from (older ones answer 410 Expired). */
  private compactedRevision = 1;

  constructor(
    private readonly clock: Clock,
    options: SimStoreOptions = {},
  ) {
    this.historyLimit = options.historyLimit ?? 50_000;
  }

  now(): Date {
    return this.clock.now();
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get oldestResourceVersion(): number {
    return this.compactedRevision;
  }

  list(kind: SimKind, namespace?: string): SimObject[] {
    return this.entries(kind, namespace).map((e) => e.object);
  }

  get(kind: SimKind, namespace: string | undefined, name: string): SimObject | undefined {
    return this.tables.get(kind)?.byKey.get(objectKey(namespace, name))?.object;
  }

  /** Stored entries of a kind in key order (namespace/name), optionally in one namespace. */
  entries(kind: SimKind, namespace?: string): readonly StoredObject[] {
    const table = this.tables.get(kind);
    if (!table) return [];
    if (!table.sorted) {
      table.sorted = [...table.byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      table.positions = new Map(table.sorted.map((e, i) => [e.key, i]));
    }
    if (namespace === undefined) return table.sorted;
    const prefix = `${namespace}/`;
    return table.sorted.filter((e) => e.key.startsWith(prefix));
  }

  entry(kind: SimKind, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.tables.get(kind)?.byKey.get(objectKey(namespace, name));
  }

  /** The resourceVersion of the last change to a kind (0 when it never had objects): list caches key on it. */
  kindRevision(kind: SimKind): number {
    return this.tables.get(kind)?.revision ?? 0;
  }

  kinds(): string[] {
    return [...this.tables.keys()];
  }

  create(object: SimObject, options: WriteOptions = {}): SimObject {
    const copy = structuredClone(object);
    // The uid first: a Job's defaulted selector and pod labels carry it.
    copy.metadata.uid = copy.metadata.uid ?? randomUUID();
    applyDefaults(copy);
    const meta = copy.metadata;
    if (!meta.name && meta.generateName) meta.name = this.generateName(copy.kind, meta.namespace, meta.generateName);
    if (!meta.name) throw new Error(`cannot create a ${copy.kind} without metadata.name or metadata.generateName`);
    const table = this.table(copy.kind);
    const key = objectKey(meta.namespace, meta.name);
    if (table.byKey.has(key)) throw alreadyExists(refForKind(copy.kind), meta.name);
    meta.creationTimestamp = meta.creationTimestamp ?? formatTime(this.clock.now());
    if (hasSpec(copy)) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.managedFields;
    if (options.writer) {
      const managed = stampManagedFields(undefined, copy, options.writer, meta.creationTimestamp);
      if (managed) meta.managedFields = managed;
    }
    if (options.dryRun) return copy;
    return this.put(table, key, copy, 'ADDED').object;
  }

  update(object: SimObject, options: WriteOptions = {}): SimObject {
    const table = this.table(object.kind);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = table.byKey.get(key);
    if (!previous) throw notFound(refForKind(object.kind), object.metadata.name);
    const copy = structuredClone(object);
    applyDefaults(copy);
    const meta = copy.metadata;
    const before = previous.object.metadata;
    meta.uid = before.uid;
    meta.creationTimestamp = before.creationTimestamp;
    if (before.generation !== undefined || hasSpec(copy)) {
      const specChanged = JSON.stringify(copy.spec) !== previous.specJson;
      meta.generation = (before.generation ?? 1) + (specChanged ? 1 : 0);
    }
    const managed = options.writer
      ? stampManagedFields(previous.object, copy, options.writer, formatTime(this.clock.now()))
      : before.managedFields;
    if (managed) meta.managedFields = managed;
    else delete meta.managedFields;
    if (options.dryRun) {
      meta.resourceVersion = before.resourceVersion;
      return copy;
    }
    return this.put(table, key, copy, 'MODIFIED').object;
  }

  delete(kind: SimKind, namespace: string | undefined, name: string): void {
    this.remove(kind, namespace, name);
    this.collectGarbage();
  }

  /** Removes one object now and returns its last state; dependents are left to `collectGarbage`. */
  remove(kind: SimKind, namespace: string | undefined, name: string): SimObject {
    const table = this.tables.get(kind);
    const key = objectKey(namespace, name);
    const previous = table?.byKey.get(key);
    if (!table || !previous) throw notFound(refForKind(kind), name);
    table.byKey.delete(key);
    table.sorted = undefined;
    table.revision = this.revision + 1;
    if (previous.object.metadata.uid) this.uids.delete(previous.object.metadata.uid);
    const last = structuredClone(previous.object);
    this.revision += 1;
    last.metadata.resourceVersion = String(this.revision);
    const stored: StoredObject = {
      kind,
      key,
      rv: this.revision,
      object: last,
      json: JSON.stringify(last),
      specJson: previous.specJson,
    };
    this.emit({ type: 'DELETED', stored });
    if (kind === 'Namespace') this.removeNamespaceContents(name);
    return last;
  }

  /**
   * Background garbage collection: deletes every object whose owners (by uid) are all gone, until none is
   * left; objects whose owner references are removed ("orphaned") stay.
   */
  collectGarbage(): number {
    let removed = 0;
    for (;;) {
      const doomed: StoredObject[] = [];
      for (const table of this.tables.values()) {
        for (const entry of table.byKey.values()) {
          const owners = entry.object.metadata.ownerReferences;
          if (owners && owners.length > 0 && owners.every((o) => !this.uids.has(o.uid))) doomed.push(entry);
        }
      }
      if (doomed.length === 0) return removed;
      for (const entry of doomed) {
        const meta = entry.object.metadata;
        if (this.entry(entry.kind, meta.namespace, meta.name)) {
          this.remove(entry.kind, meta.namespace, meta.name);
          removed += 1;
        }
      }
    }
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The changes after resourceVersion `rv`, oldest first; 410 Expired when they were compacted away. */
  changesSince(rv: number): StoreEvent[] {
    if (rv < this.compactedRevision) throw tooOldResourceVersion(rv, this.compactedRevision);
    let low = 0;
    let high = this.history.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.history[mid]!.stored.rv <= rv) low = mid + 1;
      else high = mid;
    }
    return this.history.slice(low);
  }

  /** Forgets the change history: watches and continue tokens from before now expire (as etcd compaction does). */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  private put(table: KindTable, key: string, object: SimObject, type: StoreEventType): StoredObject {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    const stored: StoredObject = {
      kind: object.kind,
      key,
      rv: this.revision,
      object,
      json: JSON.stringify(object),
      specJson: object.spec === undefined ? undefined : JSON.stringify(object.spec),
    };
    const previous = table.byKey.get(key);
    table.byKey.set(key, stored);
    table.revision = this.revision;
    const position = table.positions.get(key);
    if (!previous || position === undefined) table.sorted = undefined;
    else if (table.sorted) table.sorted[position] = stored;
    if (object.metadata.uid) this.uids.set(object.metadata.uid, stored);
    this.emit({ type, stored });
    return stored;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped[dropped.length - 1]!.stored.rv;
    }
    for (const listener of this.listeners) listener(event);
  }

  private removeNamespaceContents(namespace: string): void {
    for (const [kind, table] of this.tables) {
      for (const entry of [...table.byKey.values()]) {
        if (entry.object.metadata.namespace === namespace) this.remove(kind, namespace, entry.object.metadata.name);
      }
    }
  }

  private table(kind: string): KindTable {
    let table = this.tables.get(kind);
    if (!table) {
      table = { byKey: new Map(), sorted: undefined, positions: new Map(), revision: 0 };
      this.tables.set(kind, table);
    }
    return table;
  }

  private generateName(kind: string, namespace: string | undefined, prefix: string): string {
    const table = this.table(kind);
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i += 1)
        suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
      const name = `${prefix.slice(0, 58)}${suffix}`;
      if (!table.byKey.has(objectKey(namespace, name))) return name;
    }
  }
}

function hasSpec(object: SimObject): boolean {
  return object.spec !== undefined && object.spec !== null;
}

/** Kubernetes `Time`: RFC 3339 in UTC with second precision. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
