import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { ApiStatusError, badRequest, unsupportedMediaType } from '../status.js';
import { PROTOBUF_FIELDS } from './protobuf-fields.js';

/**
 * Decodes the Kubernetes protobuf encoding of request bodies (`application/vnd.kubernetes.protobuf`), which
 * kubectl's typed commands (create, expose, auth can-i, drain) and helm (its release Secrets, the
 * DeleteOptions of an uninstall) send. The wire format is read by @bufbuild/protobuf; which field number
 * is which JSON field comes from the upstream descriptors (protobuf-fields.ts). Answers stay JSON, which
 * every client accepts. Kinds without upstream protobuf (custom resources) are refused with 415, as there.
 */

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface FieldSpec {
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
}

/**
 * Go pointer fields whose zero value means something. The generated Go code writes every non-pointer
 * field, zero or not, so a zero on the wire is "unset" for all others, as `omitempty` makes it in JSON.
 */
const ZERO_KEPT = new Set([
  'apis.meta.v1.DeleteOptions.gracePeriodSeconds',
  'apis.meta.v1.DeleteOptions.orphanDependents',
  'apis.meta.v1.OwnerReference.controller',
  'apis.meta.v1.OwnerReference.blockOwnerDeletion',
  'apps.v1.DeploymentSpec.replicas',
  'apps.v1.DeploymentSpec.revisionHistoryLimit',
  'apps.v1.ReplicaSetSpec.replicas',
  'apps.v1.StatefulSetSpec.replicas',
  'apps.v1.StatefulSetSpec.revisionHistoryLimit',
  'apps.v1.RollingUpdateStatefulSetStrategy.partition',
  'apps.v1.DaemonSetSpec.revisionHistoryLimit',
  'autoscaling.v1.ScaleSpec.replicas',
  'autoscaling.v2.HorizontalPodAutoscalerSpec.minReplicas',
  'batch.v1.JobSpec.parallelism',
  'batch.v1.JobSpec.completions',
  'batch.v1.JobSpec.backoffLimit',
  'batch.v1.JobSpec.suspend',
  'batch.v1.JobSpec.ttlSecondsAfterFinished',
  'batch.v1.CronJobSpec.suspend',
  'batch.v1.CronJobSpec.startingDeadlineSeconds',
  'batch.v1.CronJobSpec.successfulJobsHistoryLimit',
  'batch.v1.CronJobSpec.failedJobsHistoryLimit',
  'core.v1.ConfigMap.immutable',
  'core.v1.Secret.immutable',
  'core.v1.PodSpec.terminationGracePeriodSeconds',
  'core.v1.PodSpec.automountServiceAccountToken',
  'core.v1.PodSpec.enableServiceLinks',
  'core.v1.ServiceAccount.automountServiceAccountToken',
  'core.v1.SecurityContext.runAsUser',
  'core.v1.SecurityContext.runAsNonRoot',
  'core.v1.SecurityContext.privileged',
  'core.v1.SecurityContext.allowPrivilegeEscalation',
  'core.v1.SecurityContext.readOnlyRootFilesystem',
  'core.v1.PodSecurityContext.runAsUser',
  'core.v1.PodSecurityContext.fsGroup',
  'core.v1.ConfigMapKeySelector.optional',
  'core.v1.SecretKeySelector.optional',
  'core.v1.ConfigMapEnvSource.optional',
  'core.v1.SecretEnvSource.optional',
  'core.v1.ConfigMapVolumeSource.optional',
  'core.v1.SecretVolumeSource.optional',
  'core.v1.ConfigMapVolumeSource.defaultMode',
  'core.v1.SecretVolumeSource.defaultMode',
]);

let table: Map<string, Map<number, FieldSpec>> | undefined;

/** The field table, parsed once from its compact text form. */
function messageFields(type: string): Map<number, FieldSpec> | undefined {
  if (!table) {
    table = new Map();
    for (const [message, text] of Object.entries(PROTOBUF_FIELDS)) {
      const fields = new Map<number, FieldSpec>();
      for (const spec of text.split(' ')) {
        const [, name, number, type] = /^([^=]+)=(\d+):(.+)$/.exec(spec) ?? [];
        if (!name || !type) continue;
        const map = type.startsWith('{');
        const repeated = type.startsWith('*');
        fields.set(Number(number), { name, map, repeated, type: type.replace(/^[*{]|}$/g, '') });
      }
      table.set(message, fields);
    }
  }
  return table.get(type);
}

/** Messages whose JSON form is not an object of their fields. */
const SPECIAL: Record<string, (fields: Record<string, unknown>) => unknown> = {
  'apis.meta.v1.Time': (f) => (f.seconds ? `${isoSeconds(f.seconds as number)}Z` : undefined),
  'apis.meta.v1.MicroTime': (f) =>
    f.seconds
      ? `${isoSeconds(f.seconds as number)}.${String(Math.floor(((f.nanos as number) ?? 0) / 1000)).padStart(6, '0')}Z`
      : undefined,
  'api.resource.Quantity': (f) => f.string ?? '0',
  'util.intstr.IntOrString': (f) => (f.type === 1 ? (f.strVal ?? '') : (f.intVal ?? 0)),
  'runtime.RawExtension': (f) => rawJson(f.raw),
  'apis.meta.v1.FieldsV1': (f) => rawJson(f.Raw),
};

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

function rawJson(base64: unknown): unknown {
  if (typeof base64 !== 'string' || base64 === '') return undefined;
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw badRequest('protobuf body holds an embedded object that is not JSON');
  }
}

function readScalar(reader: BinaryReader, type: string): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'int64':
      return Number(reader.int64());
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
    default:
      return decodeMessage(type, reader.bytes());
  }
}

const isZero = (value: unknown) => value === '' || value === 0 || value === false;

function readMapEntry(reader: BinaryReader, valueType: string): [string, unknown] {
  const entry = new BinaryReader(reader.bytes());
  let key = '';
  let value: unknown = valueType === 'string' || valueType === 'bytes' ? '' : {};
  while (entry.pos < entry.len) {
    const [no, wire] = entry.tag();
    if (no === 1) key = entry.string();
    else if (no === 2) value = readScalar(entry, valueType);
    else entry.skip(wire);
  }
  return [key, value];
}

const PACKABLE = new Set(['bool', 'int32', 'int64', 'double', 'float']);

/** Decodes one message into its JSON form. */
function decodeMessage(type: string, bytes: Uint8Array): unknown {
  const fields = messageFields(type);
  if (!fields) throw badRequest(`protobuf body names an unknown message ${type}`);
  const out: Record<string, unknown> = {};
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wire] = reader.tag();
    const spec = fields.get(no);
    if (!spec) {
      reader.skip(wire);
      continue;
    }
    if (spec.map) {
      const [key, value] = readMapEntry(reader, spec.type);
      out[spec.name] = { ...(out[spec.name] as object), [key]: value };
    } else if (spec.repeated) {
      const list = (out[spec.name] as unknown[]) ?? [];
      if (wire === WireType.LengthDelimited && PACKABLE.has(spec.type)) {
        const packed = new BinaryReader(reader.bytes());
        while (packed.pos < packed.len) list.push(readScalar(packed, spec.type));
      } else list.push(readScalar(reader, spec.type));
      out[spec.name] = list;
    } else {
      const value = readScalar(reader, spec.type);
      if (value === undefined || (isZero(value) && !ZERO_KEPT.has(`${type}.${spec.name}`))) delete out[spec.name];
      else out[spec.name] = value;
    }
  }
  const special = SPECIAL[type];
  return special ? special(out) : out;
}

/** The message of a kind: `apps/v1` Deployment is apps.v1.Deployment, `v1` Pod core.v1.Pod. */
function messageOf(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const candidates = [`${group!.replace(/\.k8s\.io$/, '')}.${version}.${kind}`, `apis.meta.v1.${kind}`];
  return candidates.find((name) => messageFields(name) !== undefined);
}

/** Decodes a protobuf request body (`k8s\0` + runtime.Unknown) into the JSON object it encodes. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf body lacks the k8s envelope');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  try {
    const reader = new BinaryReader(body.subarray(4));
    while (reader.pos < reader.len) {
      const [no, wire] = reader.tag();
      if (no === 1) {
        const typeMeta = decodeTypeMeta(reader.bytes());
        apiVersion = typeMeta.apiVersion;
        kind = typeMeta.kind;
      } else if (no === 2) raw = reader.bytes();
      else reader.skip(wire);
    }
  } catch (error) {
    throw badRequest(`invalid protobuf body: ${error instanceof Error ? error.message : String(error)}`);
  }
  const message = messageOf(apiVersion, kind);
  if (!message) {
    throw unsupportedMediaType(`${PROTOBUF_MEDIA_TYPE} (for ${kind || 'an unknown kind'}; send application/json)`);
  }
  try {
    const object = decodeMessage(message, raw) as Record<string, unknown>;
    return { apiVersion, kind, ...object };
  } catch (error) {
    if (error instanceof ApiStatusError) throw error;
    throw badRequest(`invalid protobuf body for ${kind}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeTypeMeta(bytes: Uint8Array): { apiVersion: string; kind: string } {
  const reader = new BinaryReader(bytes);
  const typeMeta = { apiVersion: '', kind: '' };
  while (reader.pos < reader.len) {
    const [no, wire] = reader.tag();
    if (no === 1) typeMeta.apiVersion = reader.string();
    else if (no === 2) typeMeta.kind = reader.string();
    else reader.skip(wire);
  }
  return typeMeta;
}
