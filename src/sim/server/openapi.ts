import { groupVersionOf, RESOURCES, type SimResource } from '../resources.js';

/**
 * A minimal OpenAPI v3 publication: per group version, one path per resource whose PATCH operation
 * carries `x-kubernetes-group-version-kind` and the `fieldValidation` parameter. That is what kubectl
 * and helm read to learn the server validates fields itself, so `kubectl apply` needs no
 * `--validate=false`. Schemas are left out: clients then compute patches from their compiled types.
 */

const HASH = 'inc-sim-1';

function specPath(resource: SimResource): string {
  return resource.group === '' ? 'api/v1' : `apis/${groupVersionOf(resource)}`;
}

export function openApiRoot(served: (resource: SimResource) => boolean): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const r of RESOURCES) {
    if (!served(r)) continue;
    const path = specPath(r);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${HASH}` };
  }
  return { paths };
}

const QUERY_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** The document of one group version (`api/v1`, `apis/apps/v1`), or undefined when not served. */
export function openApiGroupVersion(
  path: string,
  served: (resource: SimResource) => boolean,
): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => served(r) && specPath(r) === path);
  if (resources.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const prefix = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const writable = (r.verbs as readonly string[]).includes('patch');
    paths[prefix] = {
      get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {} },
      ...(writable
        ? {
            patch: {
              'x-kubernetes-action': 'patch',
              'x-kubernetes-group-version-kind': gvk,
              parameters: QUERY_PARAMETERS,
              responses: {},
            },
          }
        : {}),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.31.0' },
    paths,
    components: { schemas: {} },
  };
}
