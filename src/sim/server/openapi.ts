import { groupVersionOf, RESOURCES, type SimResource } from '../resources.js';
import { SIM_KUBE_VERSION } from './discovery.js';
import published from './openapi-schemas.json' with { type: 'json' };

/**
 * The OpenAPI v3 publication: per group version, one path per resource whose PATCH operation carries
 * `x-kubernetes-group-version-kind` and the `fieldValidation` parameter (what kubectl and helm read to
 * learn the server validates fields itself, so `kubectl apply` needs no `--validate=false`), and the
 * schemas of its kinds with every type they hold, descriptions included, so `kubectl explain` works.
 * The schemas come from the models of the Kubernetes client and kubernetes-models
 * (scripts/openapi-schemas.mjs). The PATCH
 * operations declare no request body: clients then compute strategic merge patches from their compiled
 * types, as the schemas carry no patch strategies.
 */

const HASH = `inc-sim-${published.kubernetes}`;

type Schema = Record<string, unknown>;
const SCHEMAS = published.schemas as Record<string, Schema>;
const REF_PREFIX = '#/components/schemas/';

/** Each set of kinds' schemas, computed once: clients fetch the same documents again and again. */
const schemasByKinds = new Map<string, Record<string, Schema>>();

/** The schemas of these kinds and of every type they reference, by name. */
function schemasOf(kinds: readonly SimResource[]): Record<string, Schema> {
  const key = kinds.map((r) => `${r.group}/${r.version}/${r.kind}`).join(' ');
  let schemas = schemasByKinds.get(key);
  if (!schemas) {
    schemas = collectSchemas(kinds);
    schemasByKinds.set(key, schemas);
  }
  return schemas;
}

function collectSchemas(kinds: readonly SimResource[]): Record<string, Schema> {
  const wanted = (schema: Schema) =>
    ((schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]) ?? []).some(
      (gvk) => kinds.some((r) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind),
    );
  const out: Record<string, Schema> = {};
  const queue = Object.keys(SCHEMAS).filter((name) => wanted(SCHEMAS[name]!));
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (out[name] || !SCHEMAS[name]) continue;
    out[name] = SCHEMAS[name]!;
    for (const [, ref] of JSON.stringify(out[name]).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      if (!out[ref!]) queue.push(ref!);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

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

/** Per resource, its item path: GET, and PATCH with its query parameters where it can be patched. */
function pathsOf(resources: readonly SimResource[], parameters: readonly unknown[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const prefix = `/${specPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const writable = (r.verbs as readonly string[]).includes('patch');
    paths[prefix] = {
      get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {} },
      ...(writable
        ? {
            patch: {
              'x-kubernetes-action': 'patch',
              'x-kubernetes-group-version-kind': gvk,
              parameters,
              responses: {},
            },
          }
        : {}),
    };
  }
  return paths;
}

/** The PATCH operation's query parameters in OpenAPI v2's form: a type, no schema. */
const QUERY_PARAMETERS_V2 = QUERY_PARAMETERS.map(({ schema, ...parameter }) => ({ ...parameter, ...schema }));

/**
 * The whole API in OpenAPI v2, in JSON (`Accept: application/json`), for clients that read it:
 * the same operations and schemas, with v2's references (`#/definitions/…`, a field's `$ref` beside
 * its description where v3 wraps it in `allOf`). kubectl asks for v2 in protobuf only, which is
 * refused (406) as before, so it keeps reading v3 or its compiled types.
 */
export function openApiV2(served: (resource: SimResource) => boolean): Record<string, unknown> {
  const resources = RESOURCES.filter((r) => served(r));
  const definitions = JSON.parse(
    JSON.stringify(schemasOf(resources)).replaceAll(REF_PREFIX, '#/definitions/'),
    (_, v) =>
      v && typeof v === 'object' && Array.isArray(v.allOf) && v.allOf.length === 1 && v.allOf[0].$ref
        ? { ...(v.description ? { description: v.description } : {}), $ref: v.allOf[0].$ref }
        : v,
  );
  const info = { title: 'Kubernetes', version: SIM_KUBE_VERSION.gitVersion };
  return { swagger: '2.0', info, paths: pathsOf(resources, QUERY_PARAMETERS_V2), definitions };
}

/** The document of one group version (`api/v1`, `apis/apps/v1`), or undefined when not served. */
export function openApiGroupVersion(
  path: string,
  served: (resource: SimResource) => boolean,
): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => served(r) && specPath(r) === path);
  if (resources.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SIM_KUBE_VERSION.gitVersion },
    paths: pathsOf(resources, QUERY_PARAMETERS),
    components: { schemas: schemasOf(resources) },
  };
}
