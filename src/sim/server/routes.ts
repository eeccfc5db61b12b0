import { findResource, type SimResource } from '../resources.js';

/** What a request path addresses. */
export type ApiTarget =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'core-versions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'resource-list'; group: string; version: string }
  | { type: 'openapi' }
  | {
      type: 'resource';
      resource: SimResource;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** For the `proxy` subresource: the path after `/proxy` (at least `/`). */
      proxyPath?: string;
    }
  | { type: 'not-found' };

/**
 * Routes a path as the API server does: `/api/v1/...` (core) or `/apis/GROUP/VERSION/...`, then
 * `[namespaces/NS/]PLURAL[/NAME[/SUBRESOURCE]]`. `namespaces/NS` alone addresses the Namespace object.
 */
export function parseApiPath(pathname: string): ApiTarget {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [root, ...rest] = segments;
  if (root === 'version' && rest.length === 0) return { type: 'version' };
  if ((root === 'healthz' || root === 'readyz' || root === 'livez') && rest.length <= 1) return { type: 'health' };
  if (root === 'openapi') return { type: 'openapi' };
  let group: string;
  let version: string;
  let tail: string[];
  if (root === 'api') {
    if (rest.length === 0) return { type: 'core-versions' };
    group = '';
    version = rest[0]!;
    tail = rest.slice(1);
  } else if (root === 'apis') {
    if (rest.length === 0) return { type: 'groups' };
    if (rest.length === 1) return { type: 'group', group: rest[0]! };
    group = rest[0]!;
    version = rest[1]!;
    tail = rest.slice(2);
  } else {
    return { type: 'not-found' };
  }
  if (tail.length === 0) return { type: 'resource-list', group, version };

  let namespace: string | undefined;
  if (tail[0] === 'namespaces' && tail.length >= 3 && findResource(group, version, tail[2]!)?.namespaced) {
    namespace = tail[1];
    tail = tail.slice(2);
  }
  const resource = findResource(group, version, tail[0]!);
  const proxied = tail[2] === 'proxy';
  if (!resource || (tail.length > 3 && !proxied)) return { type: 'not-found' };
  if (resource.namespaced && namespace === undefined && tail.length > 1) return { type: 'not-found' };
  const target = { type: 'resource' as const, resource, namespace, name: tail[1], subresource: tail[2] };
  if (!proxied) return target;
  const after = tail.slice(3).map(encodeURIComponent).join('/');
  const trailing = after !== '' && pathname.endsWith('/') ? '/' : '';
  return { ...target, proxyPath: `/${after}${trailing}` };
}
