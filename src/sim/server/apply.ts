import { parse } from 'yaml';
import type { SimObject } from '../cluster-state.js';
import { fromFieldsV1, leaves, type ManagedFieldsEntry } from '../managed-fields.js';
import { isPlainObject, type Json } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import { storageKind } from '../resources.js';
import { ApiStatusError, badRequest, type StatusCause } from '../status.js';
import { servedJson } from './views.js';
import { commitUpdate, createObject, type WriteContext } from './write.js';

/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`): the applied configuration creates the
 * object or merges into it; its manager's `Apply` entry in managedFields holds exactly the fields it
 * applied, and fields it applied before but no longer does (and no one else owns) are removed. A field
 * another manager owns with a different value is a conflict, reported as the API server words it,
 * unless `force=true` takes it over. Lists are owned whole here (upstream keys their items).
 */

const SEPARATOR = '\u0000';

export interface ApplyRequest {
  name: string;
  raw: Buffer;
  force: boolean;
  /** Whether the request named a fieldManager, which apply requires. */
  hasFieldManager: boolean;
}

export function applyObject(ctx: WriteContext, request: ApplyRequest): { status: number; body: string } {
  if (!request.hasFieldManager || !ctx.writer) {
    throw new ApiStatusError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  }
  const applied = parseApplied(request.raw, request.name);
  const appliedLeaves = leaves(applied);
  const writer = { ...ctx.writer, operation: 'Apply' as const, applied: new Set(appliedLeaves.keys()) };
  const applyCtx: WriteContext = { ...ctx, writer };
  const kind = storageKind(ctx.resource);
  const namespace = ctx.resource.namespaced ? ctx.namespace : undefined;
  const existing = ctx.store.entries(kind, namespace).find((e) => e.object.metadata.name === request.name);
  if (!existing) return { status: 201, body: createObject(applyCtx, applied) };

  const live = JSON.parse(servedJson(ctx.resource, existing)) as SimObject;
  const entries = (live.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const conflicts = findConflicts(entries, writer.manager, appliedLeaves, leaves(live));
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts, ctx.resource.plural, request.name);

  const merged = applyStrategicMergePatch(live as unknown as Json, applied as unknown as Json) as unknown as SimObject;
  for (const path of releasedFields(entries, writer.manager, writer.applied)) removePath(merged, path);
  delete merged.metadata.resourceVersion;
  if (applied.metadata.resourceVersion) merged.metadata.resourceVersion = applied.metadata.resourceVersion;
  return { status: 200, body: commitUpdate(applyCtx, existing, merged) };
}

function parseApplied(raw: Buffer, name: string): SimObject {
  let body: unknown;
  try {
    body = parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(body as Json)) throw badRequest('the applied configuration must be an object');
  const object = body as unknown as SimObject;
  if (!object.apiVersion || !object.kind)
    throw badRequest('apiVersion and kind must be set in the applied configuration');
  if (!isPlainObject(object.metadata as unknown)) object.metadata = { name };
  if (object.metadata.name && object.metadata.name !== name) {
    throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
  }
  object.metadata.name = name;
  if (object.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  return object;
}

interface Conflict {
  /** The manager as the API server prints it: `"kubectl" with subresource "scale"`. */
  manager: string;
  apiVersion: string;
  path: string;
}

const isOwnApply = (entry: ManagedFieldsEntry, manager: string) =>
  entry.manager === manager && entry.operation === 'Apply' && !entry.subresource;

/** Fields another manager owns that the applied configuration sets to a different value. */
function findConflicts(
  entries: readonly ManagedFieldsEntry[],
  manager: string,
  applied: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
): Conflict[] {
  const out: Conflict[] = [];
  for (const entry of entries) {
    if (isOwnApply(entry, manager) || entry.subresource === 'status') continue;
    for (const path of fromFieldsV1(entry.fieldsV1)) {
      if (applied.has(path) && applied.get(path) !== live.get(path)) {
        const named = `"${entry.manager}"${entry.subresource ? ` with subresource "${entry.subresource}"` : ''}`;
        out.push({ manager: named, apiVersion: entry.apiVersion, path });
      }
    }
  }
  return out;
}

/** Fields the manager applied last time, applies no longer, and no other manager holds: they go. */
function releasedFields(
  entries: readonly ManagedFieldsEntry[],
  manager: string,
  applied: ReadonlySet<string>,
): string[] {
  const own = entries.find((entry) => isOwnApply(entry, manager));
  if (!own) return [];
  const others = new Set(entries.filter((e) => e !== own).flatMap((e) => [...fromFieldsV1(e.fieldsV1)]));
  return [...fromFieldsV1(own.fieldsV1)].filter((path) => !applied.has(path) && !others.has(path));
}

function removePath(object: SimObject, path: string): void {
  const keys = path.split(SEPARATOR).map((segment) => segment.replace(/^f:/, ''));
  let node = object as unknown as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next as Json)) return;
    node = next as Record<string, unknown>;
  }
  delete node[keys.at(-1)!];
}

const fieldPath = (path: string) =>
  path
    .split(SEPARATOR)
    .map((segment) => `.${segment.replace(/^f:/, '')}`)
    .join('');

/** 409 as the API server words it: `Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas`. */
function conflictError(conflicts: readonly Conflict[], plural: string, name: string): ApiStatusError {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts)
    byManager.set(`${c.manager}\n${c.apiVersion}`, [...(byManager.get(`${c.manager}\n${c.apiVersion}`) ?? []), c]);
  const parts = [...byManager.values()].map((group) => {
    const { manager, apiVersion } = group[0]!;
    if (group.length === 1) return `conflict with ${manager} using ${apiVersion}: ${fieldPath(group[0]!.path)}`;
    return `conflicts with ${manager} using ${apiVersion}:\n${group.map((c) => `- ${fieldPath(c.path)}`).join('\n')}`;
  });
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${c.manager} using ${c.apiVersion}`,
    field: fieldPath(c.path),
  }));
  return new ApiStatusError(409, 'Conflict', `Apply failed with ${count}: ${parts.join('\n')}`, {
    name,
    kind: plural,
    causes,
  });
}
