/**
 * `metadata.managedFields`, as the API server keeps them: one entry per (manager, operation,
 * subresource) holding the fields that manager set (for an Apply, exactly the fields applied), dated by the
 * last write in which it changed one of them. A write takes the fields it changes away from the other
 * managers; an entry left with no field is dropped; a write that changes nothing leaves the entries alone.
 *
 * Lists are atomic here (one field each), a simplification of the structured-merge keys (`k:{"name":…}`)
 * the real server uses inside lists; the times, managers and operations are exact.
 */
import type { FieldWriter, SimObject } from './cluster-state.js';

export type { FieldWriter };

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

type Dict = Record<string, unknown>;

/** Set by the server alone: never part of anyone's fields. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

const SEPARATOR = '\u0000';

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every leaf field of an object (path → JSON of its value); lists and empty maps are leaves. */
export function leaves(object: SimObject): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (isDict(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, `${path}${path ? SEPARATOR : ''}f:${key}`);
    } else if (value !== undefined) {
      out.set(path, JSON.stringify(value));
    }
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata' && isDict(value)) {
      for (const [field, child] of Object.entries(value))
        if (!SERVER_METADATA.has(field)) walk(child, `f:metadata${SEPARATOR}f:${field}`);
      continue;
    }
    walk(value, `f:${key}`);
  }
  return out;
}

function toFieldsV1(paths: Iterable<string>): Dict {
  const root: Dict = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path.split(SEPARATOR)) {
      if (!isDict(node[segment])) node[segment] = {};
      node = node[segment] as Dict;
    }
  }
  return root;
}

/** The leaf paths a FieldsV1 set names, in the form `leaves` keys them. */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string) => {
    const keys = isDict(node) ? Object.keys(node).filter((key) => key !== '.') : [];
    if (keys.length === 0) {
      if (path) out.add(path);
      return;
    }
    for (const key of keys) walk((node as Dict)[key], `${path}${path ? SEPARATOR : ''}${key}`);
  };
  walk(fields, '');
  return out;
}

const sameWriter = (entry: ManagedFieldsEntry, writer: FieldWriter) =>
  entry.manager === writer.manager &&
  entry.operation === (writer.operation ?? 'Update') &&
  (entry.subresource ?? '') === (writer.subresource ?? '');

/** Whether the writer's Apply entry already holds exactly the fields it applies now. */
function sameApplied(entries: readonly ManagedFieldsEntry[], writer: FieldWriter): boolean {
  const own = entries.find((entry) => sameWriter(entry, writer));
  if (!own || !writer.applied) return false;
  const fields = fromFieldsV1(own.fieldsV1);
  return fields.size === writer.applied.size && [...writer.applied].every((path) => fields.has(path));
}

/**
 * The managedFields of `next` after `writer` turned `previous` (undefined: a create) into it, at `time`
 * (Kubernetes `Time`, second precision).
 */
export function stampManagedFields(
  previous: SimObject | undefined,
  next: SimObject,
  writer: FieldWriter,
  time: string,
): ManagedFieldsEntry[] | undefined {
  const before = previous ? leaves(previous) : new Map<string, string>();
  const after = leaves(next);
  const changed = [...after].filter(([path, json]) => before.get(path) !== json).map(([path]) => path);
  const removed = [...before.keys()].filter((path) => !after.has(path));
  const entries = (previous?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const applyChangesOwnership = writer.applied !== undefined && !sameApplied(entries, writer);
  if (changed.length === 0 && removed.length === 0 && !applyChangesOwnership) {
    return entries.length > 0 ? entries : undefined;
  }
  const taken = new Set([...changed, ...removed]);
  const out: ManagedFieldsEntry[] = [];
  let own: ManagedFieldsEntry | undefined;
  for (const entry of entries) {
    let fields = fromFieldsV1(entry.fieldsV1);
    for (const path of taken) fields.delete(path);
    if (sameWriter(entry, writer)) {
      if (writer.applied) fields = new Set(writer.applied);
      else for (const path of changed) fields.add(path);
      own = {
        ...entry,
        time: changed.length > 0 || removed.length > 0 ? time : entry.time,
        fieldsV1: toFieldsV1(fields),
      };
      if (fields.size > 0) out.push(own);
    } else if (fields.size > 0) {
      out.push({ ...entry, fieldsV1: toFieldsV1(fields) });
    }
  }
  const owned = writer.applied ?? changed;
  if (!own && (writer.applied ? writer.applied.size : changed.length) > 0) {
    out.push({
      manager: writer.manager,
      operation: writer.operation ?? 'Update',
      apiVersion: writer.apiVersion ?? next.apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(owned),
      ...(writer.subresource ? { subresource: writer.subresource } : {}),
    });
  }
  return out.length > 0 ? out : undefined;
}

/** The manager the API server names when a request gives no `fieldManager`: its User-Agent's first word. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0]!.trim();
  return prefix.slice(0, 128) || 'unknown';
}
