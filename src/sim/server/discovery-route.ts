import type { IncomingMessage } from 'node:http';
import type { SimResource } from '../resources.js';
import { ApiStatusError } from '../status.js';
import {
  coreVersionsDocument,
  groupDocument,
  groupListDocument,
  resourceListDocument,
  versionDocument,
} from './discovery.js';
import { openApiGroupVersion, openApiRoot, openApiV2 } from './openapi.js';
import type { ApiTarget } from './routes.js';

export const NOT_FOUND = new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource');
const NOT_ACCEPTABLE = new ApiStatusError(
  406,
  'NotAcceptable',
  'only the following media types are accepted: application/json, application/json;charset=utf-8',
);

/** Answers the paths that are not resources: version, health, discovery and OpenAPI documents. */
export function serveDiscovery(
  target: ApiTarget,
  req: IncomingMessage,
  served: (resource: SimResource) => boolean,
): { status: number; body: string; text?: boolean } {
  const json = (doc: unknown) => ({ status: 200, body: JSON.stringify(doc) });
  switch (target.type) {
    case 'version':
      return json(versionDocument());
    case 'health':
      return { status: 200, body: 'ok', text: true };
    case 'core-versions':
      return json(coreVersionsDocument(req.headers.host ?? '127.0.0.1'));
    case 'groups':
      return json(groupListDocument(served));
    case 'group': {
      const group = groupListDocument(served).groups as { name: string; versions: { version: string }[] }[];
      const found = group.find((g) => g.name === target.group);
      if (!found) break;
      return json({ kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(found.name, found.versions[0]!.version) });
    }
    case 'openapi': {
      if (/^\/openapi\/v2\/?(\?|$)/.test(req.url ?? '')) {
        // Served in JSON only: a client that accepts nothing else (kubectl asks for protobuf) gets 406.
        const accept = req.headers.accept ?? '*/*';
        if (!/application\/json|\*\/\*/.test(accept))
          return { status: 406, body: JSON.stringify(NOT_ACCEPTABLE.toStatus()) };
        return json(openApiV2(served));
      }
      const path = new URL(req.url ?? '/', 'http://inc-sim').pathname.replace(/^\/openapi\/v3\/?/, '');
      if (!req.url?.startsWith('/openapi/v3')) break;
      const doc = path === '' ? openApiRoot(served) : openApiGroupVersion(path, served);
      if (doc) return json(doc);
      break;
    }
    case 'resource-list': {
      const gv = target.group ? `${target.group}/${target.version}` : target.version;
      const doc = resourceListDocument(gv, served);
      if (doc) return json(doc);
      break;
    }
    default:
      break;
  }
  return { status: 404, body: JSON.stringify(NOT_FOUND.toStatus()) };
}
