import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { BUILT_IN_GROUPS, type SimResource } from '../resources.js';
import { badRequest, unsupportedMediaType } from '../status.js';
import { baseHeaders } from './http.js';
import type { ListQuery } from './read.js';
import { type DeleteOptions, PATCH_TYPES } from './write.js';

/** The patch media types a resource accepts; checked before the body is read, as the server does. */
export function checkPatchType(resource: SimResource, contentType: string): void {
  const accepted: string[] = [PATCH_TYPES.json, PATCH_TYPES.merge];
  if (BUILT_IN_GROUPS.includes(resource.group)) accepted.push(PATCH_TYPES.strategic);
  if (!accepted.includes(contentType)) throw unsupportedMediaType(contentType);
}

export function listQuery(query: URLSearchParams): ListQuery {
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: numberParam(query, 'limit'),
    continueToken: query.get('continue') ?? undefined,
  };
}

export function verbOf(method: string, name: string | undefined, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

export function numberParam(query: URLSearchParams, key: string): number | undefined {
  const value = query.get(key);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw badRequest(`invalid value for ${key}: ${value}`);
  return n;
}

/** A DELETE's options: its body (JSON or protobuf, decoded by `decode`) when it has one, and the query. */
export function deleteOptions(raw: Buffer, decode: () => unknown, query: URLSearchParams): DeleteOptions {
  let options: DeleteOptions = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') options = decode() as DeleteOptions;
  const policy = query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  return options;
}

/** The dropped-connection fault: the headers promise the whole body, half of it arrives, then the socket dies. */
export function dropMidBody(res: ServerResponse, clock: Clock, body: string | Buffer): void {
  const bytes = Buffer.from(body);
  res.writeHead(200, { ...baseHeaders(clock), 'Content-Length': bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

/** The truncated-JSON fault: a well-formed HTTP answer whose JSON body stops halfway. */
export function sendTruncated(res: ServerResponse, clock: Clock, body: string | Buffer): void {
  const bytes = Buffer.from(body);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  res.writeHead(200, { ...baseHeaders(clock), 'Content-Length': half.length });
  res.end(half);
}

/** The HTML fault: what a corporate proxy or an expired SSO session answers instead of the API server. */
export const PROXY_LOGIN_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Session expired</h1><p>Please sign in to continue.</p></body></html>\n';
