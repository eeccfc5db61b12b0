import { jsonEqual } from './json-patch.js';
import { isPlainObject, type Json } from './merge-patch.js';

/**
 * Strategic merge patch, as the API server applies it to built-in types: maps merge, `null` deletes,
 * lists with a merge key (containers by name, env by name, …) merge element by element, other lists
 * are replaced, and the directives kubectl and helm send are honoured: `$patch: replace|delete|merge`,
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
 */

/** A malformed patch (a directive with the wrong shape); the server answers 400. */
export class StrategicPatchError extends Error {}

/** List fields of the built-in types and their patch merge keys (from the types' `patchMergeKey` tags). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  claims: 'name',
  addresses: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
};

/** Primitive lists whose patch strategy is `merge` (a set union), e.g. `metadata.finalizers`. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The merge key of the list at `path`, or undefined when the list is replaced as a whole. */
export function mergeKeyFor(path: readonly string[]): string | undefined {
  const field = path[path.length - 1];
  if (field === undefined) return undefined;
  if (field === 'ports') return path.some((p) => CONTAINER_LISTS.has(p)) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

const DELETE = Symbol('delete');

export function applyStrategicMergePatch(original: Json, patch: Json): Json {
  if (!isPlainObject(patch)) throw new StrategicPatchError('a strategic merge patch must be a JSON object');
  const merged = mergeMap(isPlainObject(original) ? original : {}, patch, []);
  return merged === DELETE ? {} : merged;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value))
    return value
      .filter((v) => !(isPlainObject(v) && v.$patch !== undefined && Object.keys(v).length === 1))
      .map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const result: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) if (!key.startsWith('$')) result[key] = stripDirectives(v);
  return result;
}

function mergeMap(
  original: Record<string, Json>,
  patch: Record<string, Json>,
  path: string[],
): Record<string, Json> | typeof DELETE {
  const directive = patch.$patch;
  if (directive === 'delete') return DELETE;
  if (directive === 'replace') return stripDirectives(patch) as Record<string, Json>;
  if (directive !== undefined && directive !== 'merge')
    throw new StrategicPatchError(`Unknown patch type: ${String(directive)}`);

  const result: Record<string, Json> = { ...original };
  const orders: [string, Json][] = [];
  const deletions: [string, Json][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      deletions.push([key.slice('$deleteFromPrimitiveList/'.length), value]);
      continue;
    }
    if (key.startsWith('$')) throw new StrategicPatchError(`unknown directive ${key}`);
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const merged = mergeMap(isPlainObject(result[key]) ? result[key] : {}, value, [...path, key]);
      if (merged === DELETE) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(result[key]) ? result[key] : [], value, [...path, key]);
    } else {
      result[key] = value;
    }
  }
  for (const [field, values] of deletions) {
    if (!Array.isArray(values)) throw new StrategicPatchError(`$deleteFromPrimitiveList/${field} must be a list`);
    const current = result[field];
    if (Array.isArray(current)) result[field] = current.filter((v) => !values.some((d) => jsonEqual(d, v)));
  }
  for (const [field, order] of orders) {
    if (!Array.isArray(order)) throw new StrategicPatchError(`$setElementOrder/${field} must be a list`);
    const current = result[field];
    if (Array.isArray(current)) result[field] = reorder(current, order, mergeKeyFor([...path, field]));
  }
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicPatchError('$retainKeys must be a list of field names');
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], path: string[]): Json[] {
  if (patch.some((item) => isPlainObject(item) && item.$patch === 'replace')) {
    return stripDirectives(patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace'))) as Json[];
  }
  const key = mergeKeyFor(path);
  if (key !== undefined) {
    const result = [...original];
    for (const item of patch) {
      if (!isPlainObject(item)) throw new StrategicPatchError(`list ${path.join('.')} expects objects with "${key}"`);
      const index = result.findIndex((o) => isPlainObject(o) && jsonEqual(o[key], item[key]));
      if (item.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
        continue;
      }
      const base = index >= 0 && isPlainObject(result[index]) ? (result[index] as Record<string, Json>) : {};
      const merged = mergeMap(base, item, path);
      if (merged === DELETE) {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) result[index] = merged;
      else result.push(merged);
    }
    return result;
  }
  const field = path[path.length - 1] ?? '';
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const result = [...original];
    for (const item of patch) if (!result.some((v) => jsonEqual(v, item))) result.push(item);
    return result;
  }
  return stripDirectives(patch) as Json[];
}

/** Orders `list` as `order` names it; elements the order does not name keep their relative order, after the rest. */
function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const identity = (v: Json): Json => (key !== undefined && isPlainObject(v) ? (v[key] ?? null) : v);
  const rank = (v: Json): number => {
    const id = identity(v);
    const index = order.findIndex((o) => jsonEqual(identity(o), id));
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  return list
    .map((value, index) => ({ value, index, rank: rank(value) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.value);
}
