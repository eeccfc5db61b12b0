import type { SimObject } from '../cluster-state.js';
import type { FieldWriter } from '../managed-fields.js';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch, isPlainObject, type Json } from '../patch/merge-patch.js';
import { applyStrategicMergePatch, StrategicPatchError } from '../patch/strategic-merge-patch.js';
import { BUILT_IN_GROUPS, isSubresourceOf, type SimResource, storageKind } from '../resources.js';
import { ApiStatusError, badRequest, conflict, unsupportedMediaType } from '../status.js';
import type { SimStore, StoredObject } from '../store.js';
import { validateObject } from '../validation.js';
import { requireNamespace, requireObject } from './read.js';
import { servedJson, servedObject, storedForm } from './views.js';

export interface WriteContext {
  store: SimStore;
  resource: SimResource;
  namespace: string | undefined;
  dryRun: boolean;
  /** The request's field manager (managedFields); the subresource is added per write. */
  writer?: FieldWriter;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

function asObject(body: unknown): SimObject {
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
  const object = body as unknown as SimObject;
  if (!isPlainObject(object.metadata as unknown)) object.metadata = { name: '' };
  return object;
}

/** Strips what only the server sets; the store records managedFields from the request's writer. */
function clearServerFields(object: SimObject): void {
  const meta = object.metadata;
  delete meta.uid;
  delete meta.resourceVersion;
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.generation;
  delete meta.managedFields;
  delete meta.selfLink;
}

function checkNamespace(ctx: WriteContext, object: SimObject): void {
  if (!ctx.resource.namespaced) {
    delete object.metadata.namespace;
    return;
  }
  const requested = ctx.namespace;
  if (object.metadata.namespace && requested && object.metadata.namespace !== requested) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  object.metadata.namespace = requested ?? object.metadata.namespace;
}

export function createObject(ctx: WriteContext, body: unknown): string {
  const object = storedForm(ctx.resource, asObject(body));
  checkNamespace(ctx, object);
  if (ctx.resource.namespaced) requireNamespace(ctx.store, object.metadata.namespace);
  clearServerFields(object);
  object.metadata.name = object.metadata.name ?? '';
  validateObject(object, ctx.resource.group);
  const created = ctx.store.create(object, { dryRun: ctx.dryRun, writer: ctx.writer });
  return JSON.stringify(servedObject(ctx.resource, created));
}

/** Kinds with a status subresource ignore status in writes to the main resource, and vice versa. */
function mergeScope(resource: SimResource, existing: SimObject, incoming: SimObject, subresource?: string): SimObject {
  if (subresource === 'status') return { ...structuredClone(existing), status: incoming.status };
  if (isSubresourceOf(resource, 'status')) {
    const result = { ...incoming };
    if (existing.status === undefined) delete result.status;
    else result.status = existing.status;
    return result;
  }
  return incoming;
}

export function commitUpdate(
  ctx: WriteContext,
  existing: StoredObject,
  incoming: SimObject,
  subresource?: string,
): string {
  const meta = incoming.metadata;
  if (meta.resourceVersion && meta.resourceVersion !== existing.object.metadata.resourceVersion) {
    throw conflict(ctx.resource, existing.object.metadata.name);
  }
  const object = mergeScope(ctx.resource, existing.object, storedForm(ctx.resource, incoming), subresource);
  object.metadata = { ...object.metadata, namespace: existing.object.metadata.namespace };
  delete object.metadata.managedFields;
  validateObject(object, ctx.resource.group);
  const writer = ctx.writer && { ...ctx.writer, ...(subresource ? { subresource } : {}) };
  const updated = ctx.store.update(object, { dryRun: ctx.dryRun, writer });
  return JSON.stringify(servedObject(ctx.resource, updated));
}

export function replaceObject(ctx: WriteContext, name: string, body: unknown, subresource?: string): string {
  const incoming = asObject(body);
  if (incoming.metadata.name && incoming.metadata.name !== name) {
    throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
  }
  incoming.metadata.name = name;
  checkNamespace(ctx, incoming);
  const existing = requireObject(ctx.store, ctx.resource, ctx.namespace, name);
  return commitUpdate(ctx, existing, incoming, subresource);
}

/** Applies a patch of the given media type to a JSON document; malformed patches are 400, inapplicable ones 422. */
export function applyPatch(document: Json, patchType: string, body: unknown, customResource: boolean): Json {
  try {
    switch (patchType) {
      case PATCH_TYPES.json:
        return applyJsonPatch(document, parseJsonPatch(body));
      case PATCH_TYPES.merge:
        if (!isPlainObject(body)) throw badRequest('a merge patch must be a JSON object');
        return applyMergePatch(document, body);
      case PATCH_TYPES.strategic:
        if (customResource) throw unsupportedMediaType(patchType);
        return applyStrategicMergePatch(document, body as Json);
      default:
        throw unsupportedMediaType(patchType);
    }
  } catch (error) {
    if (error instanceof JsonPatchError) {
      throw new ApiStatusError(422, 'Invalid', error.message);
    }
    if (error instanceof StrategicPatchError) throw badRequest(error.message);
    throw error;
  }
}

export function patchObject(
  ctx: WriteContext,
  name: string,
  patchType: string,
  body: unknown,
  subresource?: string,
): string {
  const existing = requireObject(ctx.store, ctx.resource, ctx.namespace, name);
  const document = JSON.parse(servedJson(ctx.resource, existing)) as Json;
  const customResource = !BUILT_IN_GROUPS.includes(ctx.resource.group);
  const patched = applyPatch(document, patchType, body, customResource);
  if (!isPlainObject(patched)) throw badRequest('the patch did not produce an object');
  const object = patched as unknown as SimObject;
  if (!isPlainObject(object.metadata as unknown) || object.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${String(object.metadata?.name)}) does not match the name on the URL (${name})`,
    );
  }
  return commitUpdate(ctx, existing, object, subresource);
}

export interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** kubectl sends `--dry-run=server` of a delete here, in the body, rather than in the query. */
  dryRun?: string[];
}

/** Deletes one object with its propagation policy; dependents go with it unless orphaned. */
export function deleteObject(ctx: WriteContext, name: string, options: DeleteOptions): string {
  const existing = requireObject(ctx.store, ctx.resource, ctx.namespace, name);
  const meta = existing.object.metadata;
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid && uid !== meta.uid) {
    throw new ApiStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ctx.resource.plural} "${name}": Precondition failed: UID in precondition: ${uid}, UID in object meta: ${meta.uid}`,
    );
  }
  if (resourceVersion && resourceVersion !== meta.resourceVersion) {
    throw new ApiStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ctx.resource.plural} "${name}": Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
    );
  }
  const policy = options.propagationPolicy ?? 'Background';
  if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw new ApiStatusError(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (!ctx.dryRun) {
    if (policy === 'Orphan') orphanDependents(ctx.store, meta.uid);
    ctx.store.remove(storageKind(ctx.resource), meta.namespace, name);
    ctx.store.collectGarbage();
  }
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: ctx.resource.group || undefined, kind: ctx.resource.plural, uid: meta.uid },
  });
}

function orphanDependents(store: SimStore, uid: string | undefined): void {
  if (!uid) return;
  for (const kind of store.kinds()) {
    for (const object of store.list(kind)) {
      const refs = object.metadata.ownerReferences;
      if (!refs?.some((r) => r.uid === uid)) continue;
      const copy = structuredClone(object);
      copy.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
      if (copy.metadata.ownerReferences.length === 0) delete copy.metadata.ownerReferences;
      store.update(copy);
    }
  }
}
