import { badRequest, unsupportedMediaType } from '../status.js';

/**
 * Decodes the Kubernetes protobuf encoding of the objects clients send that way. helm's release storage
 * writes its Secrets (and ConfigMaps with HELM_DRIVER=configmap) as `application/vnd.kubernetes.protobuf`;
 * answers are JSON, which helm accepts too. Other kinds are refused with 415.
 */

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, (Buffer | bigint)[]>;

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.offset >= this.buf.length) throw badRequest('truncated protobuf body');
      const byte = this.buf[this.offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  bytes(length: number): Buffer {
    if (this.offset + length > this.buf.length) throw badRequest('truncated protobuf body');
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/** Reads one message into its fields: varints as bigint, length-delimited as Buffer. */
function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  const reader = new Reader(buf);
  while (!reader.done) {
    const tag = Number(reader.varint());
    const field = tag >>> 3;
    const wire = tag & 7;
    let value: Buffer | bigint;
    if (wire === 0) value = reader.varint();
    else if (wire === 2) value = reader.bytes(Number(reader.varint()));
    else if (wire === 1) value = reader.bytes(8);
    else if (wire === 5) value = reader.bytes(4);
    else throw badRequest(`unsupported protobuf wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

function str(fields: Fields, n: number): string | undefined {
  const v = fields.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
}

function num(fields: Fields, n: number): number | undefined {
  const v = fields.get(n)?.at(-1);
  return typeof v === 'bigint' ? Number(v) : undefined;
}

function message(fields: Fields, n: number): Fields | undefined {
  const v = fields.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? readFields(v) : undefined;
}

function map(fields: Fields, n: number, asBase64: boolean): Record<string, string> | undefined {
  const entries = fields.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    if (!Buffer.isBuffer(entry)) continue;
    const kv = readFields(entry);
    const value = kv.get(2)?.at(-1);
    const bytes = Buffer.isBuffer(value) ? value : Buffer.alloc(0);
    out[str(kv, 1) ?? ''] = asBase64 ? bytes.toString('base64') : bytes.toString('utf8');
  }
  return out;
}

function time(fields: Fields, n: number): string | undefined {
  const t = message(fields, n);
  if (!t) return undefined;
  const seconds = num(t, 1) ?? 0;
  if (seconds === 0) return undefined;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

function objectMeta(fields: Fields | undefined): Record<string, unknown> {
  if (!fields) return {};
  const meta: Record<string, unknown> = {
    name: str(fields, 1),
    generateName: str(fields, 2),
    namespace: str(fields, 3),
    uid: str(fields, 5),
    resourceVersion: str(fields, 6),
    generation: num(fields, 7),
    creationTimestamp: time(fields, 8),
    labels: map(fields, 11, false),
    annotations: map(fields, 12, false),
    finalizers: fields.get(14)?.map((b) => (Buffer.isBuffer(b) ? b.toString('utf8') : '')),
    ownerReferences: fields.get(13)?.map((b) => {
      const r = readFields(b as Buffer);
      return {
        apiVersion: str(r, 5),
        kind: str(r, 1),
        name: str(r, 3),
        uid: str(r, 4),
        ...(r.has(6) ? { controller: num(r, 6) === 1 } : {}),
        ...(r.has(7) ? { blockOwnerDeletion: num(r, 7) === 1 } : {}),
      };
    }),
  };
  for (const key of Object.keys(meta))
    if (meta[key] === undefined || meta[key] === '' || meta[key] === 0) delete meta[key];
  return meta;
}

/** Decodes a protobuf request body (`k8s\0` + runtime.Unknown) into the JSON object it encodes. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf body lacks the k8s envelope');
  const unknown = readFields(body.subarray(4));
  const typeMeta = message(unknown, 1);
  const apiVersion = typeMeta ? str(typeMeta, 1) : undefined;
  const kind = typeMeta ? str(typeMeta, 2) : undefined;
  const raw = unknown.get(2)?.at(-1);
  const object = readFields(Buffer.isBuffer(raw) ? raw : Buffer.alloc(0));
  const metadata = objectMeta(message(object, 1));
  switch (kind) {
    case 'Secret':
      return clean({
        apiVersion,
        kind,
        metadata,
        data: map(object, 2, true),
        type: str(object, 3),
        stringData: map(object, 4, false),
        immutable: object.has(5) ? num(object, 5) === 1 : undefined,
      });
    case 'ConfigMap':
      return clean({
        apiVersion,
        kind,
        metadata,
        data: map(object, 2, false),
        binaryData: map(object, 3, true),
        immutable: object.has(4) ? num(object, 4) === 1 : undefined,
      });
    default:
      throw unsupportedMediaType(`${PROTOBUF_MEDIA_TYPE} (for ${kind ?? 'an unknown kind'}; send application/json)`);
  }
}

function clean(object: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}
