import { isPlainObject, type Json } from './merge-patch.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

/** A patch that cannot apply to the document (a missing path, a failed test); the server answers 422. */
export class JsonPatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (forInsert && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index "${token}"`);
  const index = Number(token);
  if (index > length || (!forInsert && index === length))
    throw new JsonPatchError(`array index ${index} out of bounds`);
  return index;
}

function parentOf(doc: Json, tokens: string[], op: string, path: string): Json[] | Record<string, Json> {
  let node: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)]!;
    else if (isPlainObject(node) && Object.hasOwn(node, token)) node = node[token]!;
    else throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  if (!Array.isArray(node) && !isPlainObject(node)) {
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return node;
}

function read(doc: Json, path: string, op: string): Json {
  let node: Json = doc;
  for (const token of parsePointer(path)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)]!;
    else if (isPlainObject(node) && Object.hasOwn(node, token)) node = node[token]!;
    else throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return node;
}

function add(doc: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, 'add', path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: Json, path: string, op = 'remove'): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new JsonPatchError(`${op} operation does not apply: cannot remove the root`);
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (Object.hasOwn(parent, last)) delete parent[last];
  else throw new JsonPatchError(`${op} operation does not apply: doc is missing key: ${path}`);
  return doc;
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Validates the body of an `application/json-patch+json` request: an array of operations. */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw new JsonPatchError('a JSON patch must be an array of operations');
  for (const op of body) {
    if (!isPlainObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new JsonPatchError(`invalid JSON patch operation: ${JSON.stringify(op)}`);
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) {
      throw new JsonPatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return body as JsonPatchOperation[];
}

/** JSON Patch (RFC 6902). Returns the patched copy; the input is not changed. */
export function applyJsonPatch(document: Json, operations: readonly JsonPatchOperation[]): Json {
  let doc: Json = structuredClone(document);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, structuredClone(op.value ?? null));
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        read(doc, op.path, 'replace');
        doc = add(remove(doc, op.path, 'replace'), op.path, structuredClone(op.value ?? null));
        break;
      case 'move': {
        const value = read(doc, op.from ?? '', 'move');
        doc = add(remove(doc, op.from ?? '', 'move'), op.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, op.path, structuredClone(read(doc, op.from ?? '', 'copy')));
        break;
      case 'test':
        if (!jsonEqual(read(doc, op.path, 'test'), op.value ?? null)) {
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`);
        }
        break;
    }
  }
  return doc;
}
