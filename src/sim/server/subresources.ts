import type { SimLogLine, SimObject, SimPodLog } from '../cluster-state.js';
import { isPlainObject, type Json } from '../patch/merge-patch.js';
import { ApiStatusError, badRequest, conflict, invalid, methodNotAllowed, notFound } from '../status.js';
import type { SimStore } from '../store.js';
import { requireObject } from './read.js';
import { applyPatch, type WriteContext } from './write.js';

type Dict = Record<string, unknown>;

/** `matchLabels` and `matchExpressions` as a selector string (`app=web,tier in (a,b)`). */
export function selectorString(selector: unknown): string {
  if (!isPlainObject(selector as Json)) return '';
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function scaleOf(object: SimObject): Dict {
  const spec = (object.spec ?? {}) as Dict;
  const status = (object.status ?? {}) as Dict;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

/** The `scale` subresource: GET reads, PUT and PATCH change `spec.replicas` of the parent. */
export function handleScale(ctx: WriteContext, method: string, name: string, patchType: string, body: unknown): string {
  const existing = requireObject(ctx.store, ctx.resource, ctx.namespace, name);
  const current = scaleOf(existing.object);
  if (method === 'GET') return JSON.stringify(current);
  let next: Dict;
  if (method === 'PUT') {
    if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
    next = body as Dict;
    const rv = (next.metadata as Dict | undefined)?.resourceVersion;
    if (rv && rv !== existing.object.metadata.resourceVersion) throw conflict(ctx.resource, name);
  } else if (method === 'PATCH') {
    next = applyPatch(current as Json, patchType, body, false) as Dict;
  } else {
    throw methodNotAllowed();
  }
  const replicas = (next.spec as Dict | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      },
    ]);
  }
  const updated = structuredClone(existing.object);
  (updated.spec as Dict).replicas = replicas;
  const writer = ctx.writer && { ...ctx.writer, subresource: 'scale' };
  const stored = ctx.store.update(updated, { dryRun: ctx.dryRun, writer });
  return JSON.stringify(scaleOf(stored));
}

export interface LogQuery {
  container?: string;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

function containerNames(pod: SimObject): string[] {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[] };
  return (spec.containers ?? []).map((c) => c.name);
}

function waitingReason(pod: SimObject, container: string): string | undefined {
  const statuses = ((pod.status as Dict | undefined)?.containerStatuses ?? []) as {
    name: string;
    state?: { waiting?: { reason?: string } };
  }[];
  const status = statuses.find((s) => s.name === container);
  if (!status) return 'ContainerCreating';
  return status.state?.waiting ? (status.state.waiting.reason ?? 'ContainerCreating') : undefined;
}

/** The API server's ValidatePodLogOptions: a bad option is refused (422), never read as "all". */
function validateLogQuery(name: string, query: LogQuery): void {
  const causes = [];
  if (query.sinceSeconds !== undefined && query.sinceTime !== undefined)
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  if (query.sinceSeconds !== undefined && !(query.sinceSeconds >= 1))
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${query.sinceSeconds}: must be greater than 0`,
      field: 'sinceSeconds',
    });
  if (query.tailLines !== undefined && query.tailLines < 0)
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${query.tailLines}: must be greater than or equal to 0`,
      field: 'tailLines',
    });
  if (causes.length) throw invalid('PodLogOptions', '', name, causes);
}

/** Chooses the lines a log request asks for, from the pod's `PodLog`, with the kubelet's error messages. */
export function selectLogLines(store: SimStore, pod: SimObject, query: LogQuery): SimLogLine[] {
  const names = containerNames(pod);
  const name = pod.metadata.name;
  validateLogQuery(name, query);
  let container = query.container;
  if (!container) {
    if (names.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    }
    container = names[0]!;
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const log = store.get('PodLog', pod.metadata.namespace, name) as SimPodLog | undefined;
  const logs = log?.containers?.[container];
  let lines: SimLogLine[];
  if (query.previous) {
    if (!logs?.previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    lines = logs.previous;
  } else {
    const waiting = waitingReason(pod, container);
    if (waiting && !logs?.current?.length) {
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
    }
    lines = logs?.current ?? [];
  }
  const since = query.sinceTime
    ? new Date(query.sinceTime).getTime()
    : query.sinceSeconds !== undefined
      ? store.now().getTime() - query.sinceSeconds * 1000
      : undefined;
  if (since !== undefined && !Number.isNaN(since)) lines = lines.filter((l) => new Date(l.at).getTime() >= since);
  if (query.tailLines !== undefined && query.tailLines >= 0)
    lines = lines.slice(Math.max(0, lines.length - query.tailLines));
  return lines;
}

export function formatLogLines(lines: readonly SimLogLine[], timestamps: boolean): string {
  return lines.map((l) => (timestamps ? `${toRfc3339Nano(l.at)} ${l.text}\n` : `${l.text}\n`)).join('');
}

function toRfc3339Nano(at: string): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 23)}000000Z`;
}

export function requirePod(store: SimStore, namespace: string | undefined, name: string): SimObject {
  const pod = store.get('Pod', namespace, name);
  if (!pod) throw notFound({ group: '', plural: 'pods' }, name);
  return pod;
}

export function isApiError(error: unknown): error is ApiStatusError {
  return error instanceof ApiStatusError;
}
