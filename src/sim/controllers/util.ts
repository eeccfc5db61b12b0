/**
 * Small helpers shared by the simulator's controllers: object identity, ownership, stable
 * template hashing (like the deployment controller's `pod-template-hash`), quantities and
 * conditions. Controllers never keep timers: every time comes from `state.now()`.
 */
import type { ClusterState, SimObject, SimOwnerReference } from '../cluster-state.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Dict = Record<string, unknown>;

export const BEHAVIOR_ANNOTATION = 'sim.inc.dev/behavior';
export const NODE_BEHAVIOR_ANNOTATION = 'sim.inc.dev/node-behavior';
export const CPU_ANNOTATION = 'sim.inc.dev/cpu';
export const MEMORY_ANNOTATION = 'sim.inc.dev/memory';

/** Kubernetes' alphabet for generated name suffixes (no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  // Names need not be unpredictable, only unlikely to collide (callers check); Math.random is much cheaper.
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return out;
}

/** Like apimachinery's rand.SafeEncodeString: maps each character onto the safe alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += ALPHANUMS[text.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits: the hash the deployment controller uses for pod-template-hash. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** 64 hex digits derived from the text (container and image digests): cheap, stable, not cryptographic. */
export function hexDigest(text: string): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += fnv32a(`${i}:${text}`).toString(16).padStart(8, '0');
  return out;
}

/** Drops nulls, empty maps and empty lists, so nil and empty compare equal (apiequality.Semantic). */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Dict = {};
    for (const key of Object.keys(value).sort()) {
      const item = normalize((value as Dict)[key]);
      if (item !== undefined) out[key] = item;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value) ?? null);
}

/** Semantic equality (key order, nil vs empty ignored); the plain JSON comparison settles most calls cheaply. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  return stableStringify(a) === stableStringify(b);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A pod template without the pod-template-hash label, for equalIgnoreHash comparisons. */
export function templateWithoutHash(template: unknown): Dict {
  const copy = clone((template ?? {}) as Dict);
  const metadata = (copy.metadata ?? {}) as Dict;
  const labels = { ...((metadata.labels ?? {}) as Record<string, string>) };
  delete labels['pod-template-hash'];
  copy.metadata = { ...metadata, labels };
  return copy;
}

/** Stored objects are immutable snapshots, so a template's comparison key can be cached by identity. */
const templateKeys = new WeakMap<object, string>();

function templateKey(template: unknown): string {
  if (template === null || typeof template !== 'object') return stableStringify(templateWithoutHash(template));
  let key = templateKeys.get(template);
  if (key === undefined) {
    key = stableStringify(templateWithoutHash(template));
    templateKeys.set(template, key);
  }
  return key;
}

export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return templateKey(a) === templateKey(b);
}

export function computeTemplateHash(template: unknown, collisionCount = 0): string {
  const text = stableStringify(templateWithoutHash(template)) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}

export function ownerReference(owner: SimObject): SimOwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(object: SimObject, owner: SimObject): boolean {
  const uid = owner.metadata.uid;
  return (object.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}

export function controllerOf(object: SimObject): SimOwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
}

export function isDeleting(object: SimObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

/** Writes the object only when it changed, so reconciling a steady cluster writes nothing. */
export function updateIfChanged(state: ClusterState, before: SimObject, after: SimObject): SimObject {
  if (deepEqual(before, after)) return before;
  return state.update(after);
}

export function spec(object: SimObject): Dict {
  if (!object.spec || typeof object.spec !== 'object') object.spec = {};
  return object.spec as Dict;
}

export function status(object: SimObject): Dict {
  if (!object.status || typeof object.status !== 'object') object.status = {};
  return object.status as Dict;
}

export function iso(at: Date | number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

export function isoMicro(at: Date | number): string {
  return `${new Date(at).toISOString().slice(0, 23)}000Z`;
}

export function ms(at: unknown): number {
  if (typeof at !== 'string' || at === '') return Number.NaN;
  return Date.parse(at);
}

/** Label selector match (matchLabels and matchExpressions). An empty selector matches nothing here. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: unknown): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const sel = selector as { matchLabels?: Record<string, string>; matchExpressions?: Dict[] };
  const have = labels ?? {};
  const pairs = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (pairs.length === 0 && expressions.length === 0) return false;
  if (!pairs.every(([key, value]) => have[key] === value)) return false;
  return expressions.every((expr) => matchesExpression(have, expr));
}

/** One `matchExpressions` requirement (In, NotIn, Exists, DoesNotExist) against a set of labels. */
export function matchesExpression(have: Record<string, string>, expr: Dict): boolean {
  const key = String(expr.key);
  const values = (expr.values as string[] | undefined) ?? [];
  switch (expr.operator) {
    case 'In':
      return key in have && values.includes(have[key]!);
    case 'NotIn':
      return !(key in have) || !values.includes(have[key]!);
    case 'Exists':
      return key in have;
    case 'DoesNotExist':
      return !(key in have);
    default:
      return false;
  }
}

/** A plain map selector (Service.spec.selector). */
export function matchesMap(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined) {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels?.[key] === value);
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Parses a resource quantity ("950m", "480Mi", "2", "1e3") into its plain value (cores, bytes). */
export function parseQuantity(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return 0;
  const match = /^([+-]?[0-9.]+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(text.trim());
  if (!match) return 0;
  const number = Number(match[1]) * (match[2] ? 10 ** Number(match[2]) : 1);
  const suffix = match[3] ?? '';
  if (suffix in BINARY) return number * BINARY[suffix]!;
  if (suffix in DECIMAL) return number * DECIMAL[suffix]!;
  return 0;
}

export function millicores(text: unknown): number {
  return Math.round(parseQuantity(text) * 1000);
}

/** Sets a condition the way controllers do: lastTransitionTime only moves when the status flips. */
export function setCondition(conditions: Dict[], next: Dict, at: string, withUpdateTime = false): Dict[] {
  const index = conditions.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? conditions[index] : undefined;
  const merged: Dict = { ...next };
  if (withUpdateTime) merged.lastUpdateTime = at;
  merged.lastTransitionTime = previous && previous.status === next.status ? (previous.lastTransitionTime ?? at) : at;
  const out = [...conditions];
  if (index >= 0) out[index] = merged;
  else out.push(merged);
  return out;
}

export function findCondition(object: SimObject, type: string): Dict | undefined {
  const conditions = ((object.status as Dict | undefined)?.conditions ?? []) as Dict[];
  return conditions.find((c) => c.type === type);
}

/** Per-state scratch memory for controllers (never shown to clients), dropped with the state. */
export function scratch<T>(registry: WeakMap<ClusterState, T>, state: ClusterState, create: () => T): T {
  let value = registry.get(state);
  if (value === undefined) {
    value = create();
    registry.set(state, value);
  }
  return value;
}

/**
 * Remembers which stored snapshots a controller last reconciled an object from. Stored objects
 * are immutable and replaced on every write, so identical references mean nothing changed and the
 * (deterministic) sync can be skipped; this keeps a pass over thousands of objects cheap.
 */
export class SnapshotMemo {
  private readonly seen = new WeakMap<ClusterState, Map<string, readonly object[]>>();

  unchanged(state: ClusterState, key: string, refs: readonly object[]): boolean {
    const last = scratch(this.seen, state, () => new Map<string, readonly object[]>()).get(key);
    return last !== undefined && last.length === refs.length && last.every((ref, i) => ref === refs[i]);
  }

  remember(state: ClusterState, key: string, refs: readonly object[]): void {
    scratch(this.seen, state, () => new Map<string, readonly object[]>()).set(key, refs);
  }
}

export function podBehavior(pod: SimObject): string {
  return pod.metadata.annotations?.[BEHAVIOR_ANNOTATION] ?? 'healthy';
}
