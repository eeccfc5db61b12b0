#!/usr/bin/env node
// Writes src/sim/server/protobuf-fields.ts: the upstream protobuf field numbers and types of every kind the
// simulator serves, read from the file descriptors a kubectl binary carries (gzipped FileDescriptorProtos,
// registered by its generated Kubernetes API types). Usage: node scripts/protobuf-fields.mjs [--check] PATH_TO_KUBECTL
// With --check it writes nothing and fails when the file differs: the test suite runs it on its kubectl 1.33.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, constants as zlib } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';

/** The messages a client may send: every kind served, the subresource bodies and DeleteOptions. */
export const ROOTS = [
  'core.v1.Namespace',
  'core.v1.Node',
  'core.v1.Pod',
  'core.v1.Event',
  'core.v1.Service',
  'core.v1.Endpoints',
  'core.v1.Secret',
  'core.v1.ConfigMap',
  'core.v1.ServiceAccount',
  'core.v1.Binding',
  'apps.v1.Deployment',
  'apps.v1.ReplicaSet',
  'apps.v1.StatefulSet',
  'apps.v1.DaemonSet',
  'apps.v1.ControllerRevision',
  'batch.v1.Job',
  'batch.v1.CronJob',
  'events.v1.Event',
  'authorization.v1.SelfSubjectAccessReview',
  'authorization.v1.SelfSubjectRulesReview',
  'autoscaling.v1.Scale',
  'autoscaling.v2.HorizontalPodAutoscaler',
  'policy.v1.PodDisruptionBudget',
  'policy.v1.Eviction',
  'apis.meta.v1.DeleteOptions',
];

const PREFIXES = ['.k8s.io.api.', '.k8s.io.apimachinery.pkg.'];
const GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff]);

function shortName(typeName) {
  const prefix = PREFIXES.find((p) => typeName.startsWith(p));
  return prefix ? typeName.slice(prefix.length) : typeName.replace(/^\./, '');
}

/** Every message of the Kubernetes API descriptors found in the binary, by short name. */
export function readDescriptors(binary) {
  const messages = new Map();
  for (let at = binary.indexOf(GZIP); at >= 0; at = binary.indexOf(GZIP, at + 1)) {
    let bytes;
    try {
      bytes = gunzipSync(binary.subarray(at, at + 4_000_000), { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    let file;
    try {
      file = fromBinary(FileDescriptorProtoSchema, bytes);
    } catch {
      continue;
    }
    if (!file.name.startsWith('k8s.io/')) continue;
    const pkg = `.${file.package}.`;
    const add = (message, scope) => {
      const name = shortName(`${scope}${message.name}`);
      messages.set(name, message);
      for (const nested of message.nestedType) add(nested, `${scope}${message.name}.`);
    };
    for (const message of file.messageType) add(message, pkg);
  }
  return messages;
}

const SCALARS = {
  [FieldDescriptorProto_Type.STRING]: 'string',
  [FieldDescriptorProto_Type.BYTES]: 'bytes',
  [FieldDescriptorProto_Type.BOOL]: 'bool',
  [FieldDescriptorProto_Type.INT32]: 'int32',
  [FieldDescriptorProto_Type.INT64]: 'int64',
  [FieldDescriptorProto_Type.UINT32]: 'int32',
  [FieldDescriptorProto_Type.UINT64]: 'int64',
  [FieldDescriptorProto_Type.DOUBLE]: 'double',
  [FieldDescriptorProto_Type.FLOAT]: 'float',
};

/** One field as `name=number:type`, `*` before the type for repeated, `{type}` for a map's values. */
function describeField(field, messages) {
  let type = SCALARS[field.type];
  if (field.type === FieldDescriptorProto_Type.MESSAGE) {
    const target = shortName(field.typeName);
    const entry = messages.get(target);
    if (entry?.options?.mapEntry) {
      const value = entry.field.find((f) => f.number === 2);
      return { text: `${field.name}=${field.number}:{${valueType(value)}}`, refs: refsOf(value) };
    }
    type = target;
  }
  if (type === undefined) throw new Error(`unsupported field type ${field.type} of ${field.name}`);
  const repeated = field.label === FieldDescriptorProto_Label.REPEATED ? '*' : '';
  return { text: `${field.name}=${field.number}:${repeated}${type}`, refs: refsOf(field) };
}

function valueType(field) {
  return field.type === FieldDescriptorProto_Type.MESSAGE ? shortName(field.typeName) : SCALARS[field.type];
}

function refsOf(field) {
  return field.type === FieldDescriptorProto_Type.MESSAGE ? [shortName(field.typeName)] : [];
}

/** The table of every message reachable from the roots, sorted by name. */
export function fieldTable(messages) {
  const table = new Map();
  const queue = [...ROOTS];
  while (queue.length > 0) {
    const name = queue.shift();
    if (table.has(name)) continue;
    const message = messages.get(name);
    if (!message) throw new Error(`no descriptor for ${name}`);
    const fields = message.field.map((f) => describeField(f, messages));
    table.set(name, fields.map((f) => f.text).join(' '));
    for (const f of fields) queue.push(...f.refs);
  }
  return new Map([...table].sort(([a], [b]) => a.localeCompare(b)));
}

export function renderTableSource(table) {
  const lines = [...table].map(([name, fields]) => `  '${name}': '${fields}',`);
  return [
    '// Generated by scripts/protobuf-fields.mjs from the Kubernetes API descriptors in kubectl; do not edit.',
    '// Each message: its fields as name=number:type (`*` repeated, `{type}` a map to that type).',
    'export const PROTOBUF_FIELDS: Readonly<Record<string, string>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

/** The formatter may wrap long lines: compare with runs of white space as one. */
const collapse = (text) => text.replace(/\s+/g, ' ');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv[2] === '--check';
  const kubectl = process.argv[check ? 3 : 2];
  if (!kubectl) throw new Error('usage: node scripts/protobuf-fields.mjs [--check] PATH_TO_KUBECTL');
  const table = fieldTable(readDescriptors(readFileSync(kubectl)));
  const out = new URL('../src/sim/server/protobuf-fields.ts', import.meta.url);
  const source = renderTableSource(table);
  if (!check) {
    writeFileSync(out, source);
    process.stdout.write(`${table.size} messages written\n`);
  } else if (collapse(readFileSync(out, 'utf8')) !== collapse(source)) {
    process.stderr.write('src/sim/server/protobuf-fields.ts differs from the descriptors in kubectl: regenerate it\n');
    process.exitCode = 1;
  } else process.stdout.write(`${table.size} messages match\n`);
}
