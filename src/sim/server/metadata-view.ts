/**
 * The metadata-only form of reads (`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
 * for a list, `as=PartialObjectMetadata` for one object): each object's metadata alone, so a client can
 * list ConfigMaps and Secrets, with their managedFields, without their data.
 */
import type { SimObject } from '../cluster-state.js';

type MetadataForm = 'PartialObjectMetadata' | 'PartialObjectMetadataList';

/** Whether the Accept header asks for the given metadata-only form (meta.k8s.io v1 or v1beta1). */
export function wantsMetadata(accept: string | undefined, form: MetadataForm): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((param) => param.trim().split('=') as [string, string]),
    );
    return (
      params.get('as') === form &&
      params.get('g') === 'meta.k8s.io' &&
      ['v1', 'v1beta1'].includes(params.get('v') ?? '')
    );
  });
}

export function partialObjectMetadata(object: SimObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function renderMetadataList(objects: readonly SimObject[], listMetadata: Record<string, unknown>): string {
  return JSON.stringify({
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    items: objects.map(partialObjectMetadata),
  });
}
