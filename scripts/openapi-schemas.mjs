#!/usr/bin/env node
// Writes src/sim/server/openapi-schemas.json: the OpenAPI v3 schemas (descriptions, types, required fields,
// enums) of every built-in kind the simulator serves and of the types they hold, so that `kubectl explain`
// works against it. Both sources are generated from the API server's own OpenAPI document. The Kubernetes
// JavaScript client (@kubernetes/client-node, the newer) gives the structure: each field's JSON name, type,
// format (attributeTypeMap) and whether it is required. kubernetes-models gives the descriptions it keeps
// and the client drops (of fields that hold another type, and the enum values) and the enums; a field it
// does not know yet keeps the client's description. Schema names are upstream's (io.k8s.api.apps.v1.Deployment),
// recovered from the protobuf message names in src/sim/server/protobuf-fields.ts; a type not there belongs to
// the package of the kind that holds it (as NetworkPolicyPeer to networking.k8s.io).
// Usage: node scripts/openapi-schemas.mjs [--check]. With --check it writes nothing and fails when the
// file differs: the test suite runs it, so the file follows the client the project pins.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CLIENT = dirname(require.resolve('@kubernetes/client-node/package.json'));
const MODELS = join(CLIENT, 'dist', 'gen', 'models');
const DOCS = dirname(require.resolve('kubernetes-models/package.json'));
const MACHINERY_DOCS = dirname(require.resolve('@kubernetes-models/apimachinery/package.json', { paths: [DOCS] }));
const OUT = new URL('../src/sim/server/openapi-schemas.json', import.meta.url);
const PROTOBUF_FIELDS = new URL('../src/sim/server/protobuf-fields.ts', import.meta.url);

const RESOURCES = new URL('../src/sim/resources.ts', import.meta.url);
/** Served groups no upstream model describes: an aggregated API and Argo CD's custom resource. */
const WITHOUT_MODELS = new Set(['metrics.k8s.io', 'argoproj.io']);

/** The built-in kinds the simulator serves, read from its table of resources (one line each). */
export function servedKinds() {
  const table = readFileSync(RESOURCES, 'utf8');
  const rows = table.matchAll(/\{ group: '([^']*)', version: '([^']*)', plural: '[^']*', kind: '([^']*)'/g);
  return [...rows].map((m) => [m[1], m[2], m[3]]).filter(([group]) => !WITHOUT_MODELS.has(group));
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** `apps` → `apps`, `events.k8s.io` → `events`, `` → `core`: the upstream package of a group. */
const packageOf = (group) => (group === '' ? 'core' : group.split('.')[0]);

/** Upstream's schema name of a protobuf message name (`core.v1.Pod`, `apis.meta.v1.ObjectMeta`). */
function upstreamName(message) {
  return /^(apis|api|util|runtime)\./.test(message) ? `io.k8s.apimachinery.pkg.${message}` : `io.k8s.api.${message}`;
}

/** The client's model class of a message: `V1Pod`, or `CoreV1Event` where two groups share a name. */
function classOf(message, classes) {
  const parts = message.split('.');
  const [name, version] = [parts.at(-1), parts.at(-2)];
  const plain = `${capital(version)}${name}`;
  const grouped = `${capital(parts.at(-3) ?? '')}${plain}`;
  if (classes.has(grouped)) return grouped;
  return classes.has(plain) ? plain : undefined;
}

/** Text of a .d.ts doc comment, unescaped as the generator escaped it. */
function commentText(block) {
  return block
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .replace(/\\(['"*])/g, '$1');
}

/** kubernetes-models' file of an upstream type, if it has one. */
function docsFileOf(name) {
  const machinery = /^io\.k8s\.apimachinery\.pkg\.(.+)$/.exec(name);
  if (machinery) return `${join(MACHINERY_DOCS, ...machinery[1].split('.'))}.d.ts`;
  const [pkg, version, type] = name.replace(/^io\.k8s\.api\./, '').split('.');
  const dirs = pkg === 'core' ? [''] : [pkg, `${pkg}.k8s.io`];
  return dirs.map((dir) => join(DOCS, dir, version, `${type}.d.ts`)).find((file) => existsSync(file));
}

/** The descriptions and enums kubernetes-models keeps for a type, by JSON field. */
function readDocs(name) {
  const file = docsFileOf(name);
  if (!file || !existsSync(file)) return undefined;
  const dts = readFileSync(file, 'utf8');
  const typeDoc = /^\/\*\*\n((?:(?!\*\/)[\s\S])*)\*\/\nexport (?:interface|declare type)/m.exec(dts);
  const body = /export interface \w+(?: extends [^{]+)? \{\n([\s\S]*?)\n\}/.exec(dts)?.[1] ?? '';
  const fields = new Map();
  const field = /\/\*\*\n((?:(?!\*\/)[\s\S])*?)\s*\*\/\n\s*"([^"]+)"\??: ([^;]+);/g;
  for (let m = field.exec(body); m; m = field.exec(body)) {
    const literals = /^(?:Array<)?((?:"[^"]*"(?: \| )?)+)>?$/.exec(m[3].trim());
    const values = literals ? [...literals[1].matchAll(/"([^"]*)"/g)].map((v) => v[1]) : undefined;
    fields.set(m[2], { description: commentText(m[1]), enum: values?.length > 1 ? values : undefined });
  }
  return { description: typeDoc ? commentText(typeDoc[1]) : undefined, fields };
}

/** A model: its description and, per JSON field, description, required, type and format. */
function readModel(className) {
  const dts = readFileSync(join(MODELS, `${className}.d.ts`), 'utf8');
  const js = readFileSync(join(MODELS, `${className}.js`), 'utf8');
  const classDoc = /\/\*\*\n((?:(?!\*\/)[\s\S])*)\*\/\nexport declare class/.exec(dts);
  const fields = new Map();
  const field = /\/\*\*\n((?:(?!\*\/)[\s\S])*?)\s*\*\/\n\s*'([^']+)'(\?)?:/g;
  for (let m = field.exec(dts); m; m = field.exec(dts)) {
    fields.set(m[2], { description: commentText(m[1]), required: m[3] !== '?' });
  }
  const bare = /\n\s*'([^']+)'(\?)?:/g;
  for (let m = bare.exec(dts); m; m = bare.exec(dts)) {
    if (!fields.has(m[1])) fields.set(m[1], { description: '', required: m[2] !== '?' });
  }
  const map = new RegExp(`${className}\\.attributeTypeMap = (\\[[\\s\\S]*?\\]);`).exec(js);
  if (!map) throw new Error(`no attributeTypeMap in ${className}.js`);
  const attributes = JSON.parse(map[1]);
  return { description: classDoc ? commentText(classDoc[1]) : '', fields, attributes };
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The schemas of every message reachable from the served kinds, keyed by upstream name. */
export function buildSchemas() {
  const source = readFileSync(PROTOBUF_FIELDS, 'utf8');
  const messages = [...source.matchAll(/^ {2}'([^']+)':/gm)].map((m) => m[1]);
  const classes = new Set(
    readdirSync(MODELS)
      .filter((f) => f.endsWith('.d.ts'))
      .map((f) => f.slice(0, -5)),
  );
  const byClass = new Map();
  for (const message of messages) {
    const className = classOf(message, classes);
    if (className && !byClass.has(className)) byClass.set(className, upstreamName(message));
  }
  const schemas = {};
  const queue = [];
  /** A reference to a model, named after the protobuf message or else the package of `holder` (`apps.v1`). */
  const refTo = (className, holder) => {
    let name = byClass.get(className);
    if (!name) {
      const [, , typeName] = /^([A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?(\w+)$/.exec(className) ?? [];
      if (!typeName || !holder) throw new Error(`no package known for the client's ${className}`);
      name = `${holder}.${typeName}`;
      byClass.set(className, name);
    }
    if (!(name in schemas) && !queue.includes(className)) queue.push(className);
    return `#/components/schemas/${name}`;
  };
  const typeSchema = (type, format, holder) => {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: 'array', items: withDefault(typeSchema(array[1], format, holder)) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: withDefault(typeSchema(map[1], format, holder)) };
    if (type === 'string') return format ? { type: 'string', format } : { type: 'string' };
    if (type === 'boolean') return { type: 'boolean' };
    if (type === 'number') return format === 'double' ? { type: 'number', format } : { type: 'integer', format };
    if (type === 'Date' || type === 'V1MicroTime') return { type: 'string', format: 'date-time' };
    if (type === 'IntOrString') return { $ref: `#/components/schemas/${INT_OR_STRING}` };
    if (type === 'any' || type === 'object') return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    if (classes.has(type)) return { $ref: refTo(type, holder) };
    throw new Error(`unknown client type ${type}`);
  };
  const kinds = servedKinds();
  if (kinds.length === 0) throw new Error('no resource read from src/sim/resources.ts');
  const kindOf = new Map(kinds.map(([group, version, kind]) => [`${packageOf(group)}.${version}.${kind}`, group]));
  for (const [group, version, kind] of kinds) {
    const pkg = `io.k8s.api.${packageOf(group)}.${version}`;
    const className = classOf(`${packageOf(group)}.${version}.${kind}`, classes);
    if (!className) throw new Error(`no client model for ${group}/${version} ${kind}`);
    refTo(className, pkg);
  }
  while (queue.length > 0) {
    const className = queue.shift();
    const name = byClass.get(className);
    const holder = name.split('.').slice(0, -1).join('.');
    const model = readModel(className);
    const docs = readDocs(name);
    const properties = {};
    const required = [];
    for (const attribute of model.attributes) {
      const field = model.fields.get(attribute.name) ?? { description: '', required: false };
      const doc = docs?.fields.get(attribute.baseName);
      const description = doc?.description || field.description;
      const schema = typeSchema(attribute.type, attribute.format, holder);
      if (doc?.enum) (schema.type === 'array' ? schema.items : schema).enum = doc.enum;
      // As upstream: a reference with a description of its own is wrapped in allOf.
      properties[attribute.baseName] = schema.$ref
        ? { allOf: [schema], ...(description ? { description } : {}) }
        : { ...(description ? { description } : {}), ...schema };
      if (field.required) required.push(attribute.baseName);
    }
    const description = docs?.description || model.description;
    const short = name.replace(/^io\.k8s\.api\./, '');
    const group = kindOf.get(short);
    schemas[name] = {
      ...(description ? { description } : {}),
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      ...(group === undefined
        ? {}
        : { 'x-kubernetes-group-version-kind': [{ group, kind: short.split('.')[2], version: short.split('.')[1] }] }),
    };
  }
  schemas[INT_OR_STRING] = {
    description: readDocs(INT_OR_STRING)?.description,
    format: 'int-or-string',
    type: 'string',
  };
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

function withDefault(schema) {
  return schema.$ref ? { allOf: [schema], default: {} } : schema;
}

export function renderSchemas(schemas) {
  const { version } = JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8'));
  const spec = /OpenAPI spec version: (v[\d.]+)/.exec(readFileSync(join(MODELS, 'V1Pod.d.ts'), 'utf8'))?.[1];
  const docs = JSON.parse(readFileSync(join(DOCS, 'package.json'), 'utf8')).version;
  const source = `@kubernetes/client-node ${version}, kubernetes-models ${docs}`;
  return `${JSON.stringify({ source, kubernetes: spec, schemas })}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv[2] === '--check';
  const schemas = buildSchemas();
  const text = renderSchemas(schemas);
  const count = Object.keys(schemas).length;
  if (!check) {
    writeFileSync(OUT, text);
    process.stdout.write(`${count} schemas written (${Math.round(text.length / 1024)} KB)\n`);
  } else if (readFileSync(OUT, 'utf8') !== text) {
    process.stderr.write('src/sim/server/openapi-schemas.json differs from @kubernetes/client-node: regenerate it\n');
    process.exitCode = 1;
  } else process.stdout.write(`${count} schemas match\n`);
}
