import type { KubeCall } from './errors.js';

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * Derives the RBAC view of a request from its path: `/apis/apps/v1/namespaces/p/deployments/api/scale`
 * is verb patch (for PATCH), resource deployments, group apps, namespace p, name api, subresource scale.
 */
export function callFromPath(method: string, path: string, list: boolean): KubeCall {
  const clean = path.split('?')[0] ?? path;
  const parts = clean.split('/').filter(Boolean);
  let rest: string[];
  let group: string | undefined;
  if (parts[0] === 'api' && parts.length >= 2) {
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else {
    return { verb: method === 'GET' ? 'get' : (VERBS[method] ?? method.toLowerCase()), resource: clean };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource = clean, name, subresource] = rest;
  const upper = method.toUpperCase();
  let verb = VERBS[upper] ?? upper.toLowerCase();
  if (upper === 'GET') verb = name === undefined || list ? 'list' : 'get';
  if (upper === 'DELETE' && name === undefined) verb = 'deletecollection';
  if (subresource === 'log' && upper === 'GET') verb = 'get';
  return {
    verb,
    resource,
    group,
    namespace,
    name: list ? undefined : name,
    subresource: list ? undefined : subresource,
  };
}

/** Builds a resource path: core group when group is "" (`/api/v1/...`), else `/apis/group/version/...`. */
export function resourcePath(options: {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}): string {
  const prefix = options.group === '' ? `/api/${options.version}` : `/apis/${options.group}/${options.version}`;
  const scope = options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
  const name = options.name ? `/${encodeURIComponent(options.name)}` : '';
  const sub = options.name && options.subresource ? `/${options.subresource}` : '';
  return `${prefix}${scope}/${options.resource}${name}${sub}`;
}
