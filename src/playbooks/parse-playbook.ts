import { type Document, isMap, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { parseDuration } from '../duration.js';
import { ACTION_NAMES, ACTION_WITH, isActionName } from './action-with.js';
import { describeIssue, describeValue } from './describe-issue.js';
import { type PlaybookIssue, PlaybookValidationError } from './errors.js';
import { paramTypeClash } from './param-type-clash.js';
import { type ParamType, type Playbook, playbookSchema, TEMPLATE_REF } from './schema.js';

type Path = readonly (string | number)[];

interface Located {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** The mapping key written at line:col (1-based) of the source, as the author wrote it. */
function keyAt(text: string, line: number, col: number): string | undefined {
  const rest = text.split('\n')[line - 1]?.slice(col - 1) ?? '';
  return /^("[^"]*"|'[^']*'|[^:\s]+)/.exec(rest)?.[1]?.replace(/^["']|["']$/g, '');
}

/**
 * Parses and validates a playbook file. Every problem names file:line:col; an unknown action
 * lists the known ones, an unknown `with` field lists the allowed ones. Throws PlaybookValidationError.
 */
export function parsePlaybook(text: string, file: string): Playbook {
  const lines = new LineCounter();
  // logLevel: a key that is a list or mapping is reported as an unknown field, not warned about on stderr.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  const syntax = doc.errors.map((error): PlaybookIssue => {
    const pos = error.linePos?.[0];
    const key = error.code === 'DUPLICATE_KEY' && pos ? keyAt(text, pos.line, pos.col) : undefined;
    const message = key ? `the key "${key}" is given twice in the same mapping` : firstLine(error.message);
    return { file, line: pos?.line, column: pos?.col, path: '', message: `YAML syntax: ${message}` };
  });
  if (syntax.length > 0) throw new PlaybookValidationError(syntax);
  const located: Located = { file, doc, lines };
  const raw = toPlainData(located);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlaybookValidationError([
      {
        ...positionOf(located, []),
        path: '',
        message: 'expected a mapping with apiVersion: inc/v1 and kind: Playbook',
      },
    ]);
  }
  const result = playbookSchema.safeParse(raw);
  if (!result.success) {
    throw new PlaybookValidationError(result.error.issues.map((issue) => zodIssue(located, issue, raw)));
  }
  const issues = checkSemantics(located, result.data);
  if (issues.length > 0) throw new PlaybookValidationError(issues);
  return result.data;
}

/** Playbooks need few aliases; a file that expands them exponentially (an alias bomb) is refused. */
const MAX_ALIAS_COUNT = 50;

function toPlainData(located: Located): unknown {
  try {
    return located.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset: number | undefined;
    visit(located.doc, {
      Alias(_, node) {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = offset === undefined ? undefined : located.lines.linePos(offset);
    throw new PlaybookValidationError([
      {
        file: located.file,
        line: pos?.line,
        column: pos?.col,
        path: '',
        message: `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} uses of an alias, or aliases of aliases): write the values out`,
      },
    ]);
  }
}

function zodIssue(located: Located, issue: z.core.$ZodIssue, raw: unknown): PlaybookIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = describeIssue(issue, valueAt(raw, path));
  if (issue.code === 'unrecognized_keys') {
    const parent = schemaKeysAt(path);
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${
      parent ? ` (allowed: ${parent.join(', ')})` : ''
    }`;
    return { ...positionOf(located, [...path, issue.keys[0] as string], true), path: path.join('.'), message };
  }
  if (issue.code === 'invalid_value' && path.at(-1) === 'action' && path[0] === 'steps') {
    const action = valueAt(raw, path);
    const what =
      typeof action === 'string'
        ? `unknown action "${action}"`
        : action === undefined
          ? 'missing required field "action"'
          : `must be an action, got ${describeValue(action)}`;
    message = `${what} (known actions: ${ACTION_NAMES.join(', ')})`;
  } else if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
    message = `missing required field "${String(path.at(-1))}"`;
  }
  return { ...positionOf(located, path), path: path.join('.'), message };
}

/** Checks the schema cannot express: each step's `with` against its action, and template references. */
function checkSemantics(located: Located, playbook: Playbook): PlaybookIssue[] {
  const issues: PlaybookIssue[] = [];
  const names = new Set<string>();
  playbook.params.forEach((param, index) => {
    const at = (key: string, message: string) =>
      issues.push({ ...positionOf(located, ['params', index, key]), path: `params.${index}.${key}`, message });
    if (names.has(param.name)) at('name', `duplicate parameter "${param.name}"`);
    names.add(param.name);
    if (param.type === 'enum' && !param.values) at('type', 'an enum parameter needs "values"');
    if (param.type !== 'enum' && param.values) at('values', 'only enum parameters take "values"');
    if (param.aliasOf !== undefined && !playbook.params.some((p) => p.name === param.aliasOf && p !== param))
      at('aliasOf', `names no other parameter of the playbook: "${param.aliasOf}"`);
    for (const key of Object.keys(param.implies ?? {}))
      if (!playbook.params.some((p) => p.name === key && p !== param))
        at('implies', `names no other parameter of the playbook: "${key}"`);
    if (param.pattern !== undefined) {
      try {
        new RegExp(param.pattern);
      } catch {
        at('pattern', 'not a valid regular expression');
      }
    }
  });
  const types = new Map(playbook.params.map((param) => [param.name, param.type]));
  const ids = new Set<string>();
  playbook.steps.forEach((step, index) => {
    const base = ['steps', index] as const;
    if (ids.has(step.id)) {
      issues.push({
        ...positionOf(located, [...base, 'id']),
        path: `steps.${index}.id`,
        message: `duplicate step id "${step.id}"`,
      });
    }
    ids.add(step.id);
    issues.push(...checkWith(located, [...base, 'with'], step.action, step.with, types));
    for (const field of ['when', 'timeout'] as const) {
      for (const ref of templateRefs(step[field])) {
        if (!names.has(ref)) issues.push(unknownParam(located, [...base, field], ref, names));
      }
    }
    const timeout = step.timeout;
    if (timeout !== undefined && templateRefs(timeout).length === 0 && !isDuration(timeout)) {
      issues.push({
        ...positionOf(located, [...base, 'timeout']),
        path: `steps.${index}.timeout`,
        message: `must be a duration such as 30s, 5m or 1h30m, got ${describeValue(timeout)}`,
      });
    }
  });
  return issues;
}

function checkWith(
  located: Located,
  path: Path,
  action: string,
  values: Record<string, unknown>,
  types: ReadonlyMap<string, ParamType>,
): PlaybookIssue[] {
  if (!isActionName(action)) return [];
  const issues: PlaybookIssue[] = [];
  const shape = ACTION_WITH[action].shape as Record<string, z.ZodType>;
  const allowed = Object.keys(shape);
  for (const [key, value] of Object.entries(values)) {
    const field = shape[key];
    const here = [...path, key];
    if (!field) {
      issues.push({
        ...positionOf(located, here, true),
        path: here.join('.'),
        message: `unknown field "${key}" for action ${action} (allowed: ${allowed.join(', ')})`,
      });
      continue;
    }
    const refs = templateRefs(value);
    for (const ref of refs) if (!types.has(ref)) issues.push(unknownParam(located, here, ref, new Set(types.keys())));
    // A templated field is checked again with the parameter's value substituted, before anything runs;
    // one whose parameter can never fit it is refused now.
    const clash = refs.length > 0 ? paramTypeClash(key, field, value, types) : undefined;
    if (clash) issues.push({ ...positionOf(located, here), path: here.join('.'), message: clash });
    if (refs.length > 0) continue;
    const result = field.safeParse(value);
    const issue = result.error?.issues[0];
    if (issue) {
      const inner = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const at = [...here, ...inner];
      const message = describeIssue(issue, valueAt(value, inner));
      const template = issue.code === 'invalid_type' && inner.length === 0 ? ' (or a {{param}} template)' : '';
      issues.push({ ...positionOf(located, at), path: at.join('.'), message: message.replace(/,/, `${template},`) });
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in values) && !field.safeParse(undefined).success) {
      issues.push({
        ...positionOf(located, path),
        path: path.join('.'),
        message: `action ${action} needs "${key}" in with`,
      });
    }
  }
  return issues;
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text, 'timeout');
    return true;
  } catch {
    return false;
  }
}

function unknownParam(located: Located, path: Path, ref: string, params: Set<string>): PlaybookIssue {
  const known = [...params];
  return {
    ...positionOf(located, path),
    path: path.join('.'),
    message: `unknown parameter "{{${ref}}}" (${known.length ? `parameters: ${known.join(', ')}` : 'the playbook declares no parameters'})`,
  };
}

/** Every `{{name}}` referenced anywhere inside a value (strings, arrays, mappings). */
export function templateRefs(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(TEMPLATE_REF)].map((m) => m[1] as string);
  if (Array.isArray(value)) return value.flatMap(templateRefs);
  if (value && typeof value === 'object') return Object.values(value).flatMap(templateRefs);
  return [];
}

function positionOf(located: Located, path: Path, keyOfLast = false): Pick<PlaybookIssue, 'file' | 'line' | 'column'> {
  // Walk down as far as the document has nodes, so a missing field points at its parent.
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const prefix = path.slice(0, depth);
    const node = depth === 0 ? located.doc.contents : located.doc.getIn(prefix, true);
    let offset: number | undefined;
    if (keyOfLast && depth === path.length && depth > 0) {
      const parent = depth === 1 ? located.doc.contents : located.doc.getIn(path.slice(0, depth - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => (item.key as { value?: unknown })?.value === path[depth - 1]);
        offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
      }
    }
    offset ??= (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (offset !== undefined && (node || isMap(node) || isSeq(node) || keyOfLast)) {
      const pos = located.lines.linePos(offset);
      return { file: located.file, line: pos.line, column: pos.col };
    }
  }
  return { file: located.file };
}

function schemaKeysAt(path: Path): string[] | undefined {
  if (path.length === 0) return Object.keys(playbookSchema.shape);
  if (path.length === 1 && path[0] === 'metadata') return ['name', 'title', 'description', 'tags'];
  if (path[0] === 'params' && path.length === 2) {
    return [
      'name',
      'type',
      'description',
      'required',
      'default',
      'format',
      'pattern',
      'values',
      'min',
      'max',
      'choicesFrom',
      'aliasOf',
      'implies',
    ];
  }
  if (path[0] === 'steps' && path.length === 2)
    return ['id', 'action', 'description', 'with', 'when', 'confirm', 'timeout', 'onStuck'];
  if (path[0] === 'suggestWhen') return ['reasons', 'findings', 'recentRollout', 'kinds'];
  return undefined;
}

function valueAt(raw: unknown, path: Path): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The first line of yaml's message, without its own "at line L, column C:" (the issue has the position). */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/ at line \d+, column \d+:?$/, '');
}
