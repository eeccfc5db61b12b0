import { qualifiedName, resourceForKind } from './resources.js';

/**
 * Kubernetes `Status` errors: the code, reason, message and details a real API server answers,
 * word for word where clients parse them (kubectl prints `Error from server (<Reason>): <message>`).
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiStatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What an error message needs to know of a resource: its plural and group (a kind not served falls back to its name). */
export interface ResourceRef {
  group: string;
  plural: string;
}

export function refForKind(kind: string): ResourceRef {
  const resource = resourceForKind(kind);
  return resource ?? { group: '', plural: `${kind.toLowerCase()}s` };
}

export function notFound(resource: ResourceRef, name: string): ApiStatusError {
  return new ApiStatusError(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, {
    name,
    group: resource.group || undefined,
    kind: resource.plural,
  });
}

export function alreadyExists(resource: ResourceRef, name: string): ApiStatusError {
  return new ApiStatusError(409, 'AlreadyExists', `${qualifiedName(resource)} "${name}" already exists`, {
    name,
    group: resource.group || undefined,
    kind: resource.plural,
  });
}

export function conflict(resource: ResourceRef, name: string): ApiStatusError {
  return new ApiStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: resource.group || undefined, kind: resource.plural },
  );
}

/** 422 Invalid: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiStatusError {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiStatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): ApiStatusError {
  return new ApiStatusError(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(contentType: string): ApiStatusError {
  return new ApiStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType || 'none'})`,
  );
}

/** The RBAC denial, as the authorizer words it. */
export function forbidden(
  resource: ResourceRef,
  verb: string,
  options: { name?: string; namespace?: string; subresource?: string; user?: string } = {},
): ApiStatusError {
  const user = options.user ?? 'inc-sim-user';
  const what = options.name === undefined ? qualifiedName(resource) : `${qualifiedName(resource)} "${options.name}"`;
  const target = options.subresource ? `${resource.plural}/${options.subresource}` : resource.plural;
  const scope = options.namespace ? ` in the namespace "${options.namespace}"` : ' at the cluster scope';
  return new ApiStatusError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${user}" cannot ${verb} resource "${target}" in API group "${resource.group}"${scope}`,
    { name: options.name, group: resource.group || undefined, kind: resource.plural },
  );
}

export function expiredContinue(): ApiStatusError {
  return new ApiStatusError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiStatusError {
  return new ApiStatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}
