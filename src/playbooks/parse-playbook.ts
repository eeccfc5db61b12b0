import { type Document, isMap, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { parseDuration } from '../duration.js';
import { ACTION_NAMES, ACTION_WITH, isActionName } from './action-with.js';
import { describeIssue, describeValue } from './describe-issue.js';
import { type PlaybookIssue, PlaybookValidationError } from './errors.js';
import { paramTypeClash } from './param-type-clash.js';
import {
  type ParamType,
  type Playbook,
  type PlaybookParam,
  type PlaybookStep,
  paramSchema,
  playbookSchema,
  stepSchema,
  TEMPLATE_REF,
} from './schema.js';

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
    // The checks of the parts that did parse are reported with the schema's, in one pass: a responder
    // fixing a playbook sees every problem at once. The playbook is refused all the same.
    const schema = result.error.issues.map((issue) => zodIssue(located, issue, raw));
    const parsedParts = semanticsOfParsedParts(located, raw as Record<string, unknown>);
    throw new PlaybookValidationError(byPosition([...schema, ...parsedParts]));
  }
  const issues = checkSemantics(located, partsOf(result.data));
  if (issues.length > 0) throw new PlaybookValidationError(issues);
  return result.data;
}

/** What the semantic checks read: the params and steps that parsed, with their index in the file. */
interface ParsedParts {
  params: { index: number; param: PlaybookParam }[];
  steps: { index: number; step: PlaybookStep }[];
  /** Every parameter name the file declares, parsed or not; undefined when its params could not be read. */
  names?: ReadonlySet<string>;
  /** Every step id the file gives, by index, parsed or not. */
  ids: { index: number; id: string }[];
}

function partsOf(playbook: Playbook): ParsedParts {
  return {
    params: playbook.params.map((param, index) => ({ index, param })),
    steps: playbook.steps.map((step, index) => ({ index, step })),
    names: new Set(playbook.params.map((param) => param.name)),
    ids: playbook.steps.map((step, index) => ({ index, id: step.id })),
  };
}

/**
 * The semantic problems of a playbook the schema refused, in the params and steps that parsed on their
 * own: a step with an unknown action is left to the schema's message, its neighbours are checked.
 */
function semanticsOfParsedParts(located: Located, raw: Record<string, unknown>): PlaybookIssue[] {
  // No params beside an unknown top-level field (`parms:`) may be a misspelt params: nothing is known declared.
  const misspelt = Object.keys(raw).some((key) => !(key in playbookSchema.shape));
  const rawParams = raw.params === undefined ? (misspelt ? undefined : []) : raw.params;
  const rawSteps = Array.isArray(raw.steps) ? raw.steps : [];
  const params = Array.isArray(rawParams) ? rawParams : [];
  const named = (item: unknown, key: string) =>
    item !== null && typeof item === 'object' && typeof (item as Record<string, unknown>)[key] === 'string'
      ? ((item as Record<string, unknown>)[key] as string)
      : undefined;
  const parts: ParsedParts = {
    params: params.flatMap((item, index) => {
      const parsed = paramSchema.safeParse(item);
      return parsed.success ? [{ index, param: parsed.data }] : [];
    }),
    steps: rawSteps.flatMap((item, index) => {
      const parsed = stepSchema.safeParse(item);
      return parsed.success ? [{ index, step: parsed.data }] : [];
    }),
    // A params that is not a list declares nothing readable: references are left unchecked.
    names: Array.isArray(rawParams)
      ? new Set(params.map((item) => named(item, 'name')).filter((name) => name !== undefined))
      : undefined,
    ids: rawSteps.flatMap((item, index) => {
      const id = named(item, 'id');
      return id === undefined ? [] : [{ index, id }];
    }),
  };
  return checkSemantics(located, parts);
}

/** Issues in the order of the file, as an editor lists them; those without a position last. */
function byPosition(issues: PlaybookIssue[]): PlaybookIssue[] {
  const key = (issue: PlaybookIssue) => (issue.line ?? Number.MAX_SAFE_INTEGER) * 10_000 + (issue.column ?? 0);
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.order - b.order)
    .map(({ issue }) => issue);
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
function checkSemantics(located: Located, parts: ParsedParts): PlaybookIssue[] {
  const issues = checkParams(located, parts);
  const names = parts.names;
  const types = new Map(parts.params.map(({ param }) => [param.name, param.type]));
  const seen = new Set<string>();
  for (const { index, id } of parts.ids) {
    if (seen.has(id)) {
      issues.push({
        ...positionOf(located, ['steps', index, 'id']),
        path: `steps.${index}.id`,
        message: `duplicate step id "${id}"`,
      });
    }
    seen.add(id);
  }
  for (const { index, step } of parts.steps) {
    const base = ['steps', index] as const;
    issues.push(...checkWith(located, [...base, 'with'], step.action, step.with, types, names));
    for (const field of ['when', 'timeout'] as const) {
      for (const ref of templateRefs(step[field])) {
        if (names && !names.has(ref)) issues.push(unknownParam(located, [...base, field], ref, names));
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
  }
  return issues;
}

/** Duplicate names, enum values, and the other parameters an alias or an implication names. */
function checkParams(located: Located, parts: ParsedParts): PlaybookIssue[] {
  const issues: PlaybookIssue[] = [];
  const seen = new Set<string>();
  // Another parameter than this one: the file's names, those of params the schema refused included.
  const other = (name: string, self: PlaybookParam) =>
    parts.names === undefined || (name !== self.name && parts.names.has(name));
  for (const { index, param } of parts.params) {
    const at = (key: string, message: string) =>
      issues.push({ ...positionOf(located, ['params', index, key]), path: `params.${index}.${key}`, message });
    if (seen.has(param.name)) at('name', `duplicate parameter "${param.name}"`);
    seen.add(param.name);
    if (param.type === 'enum' && !param.values) at('type', 'an enum parameter needs "values"');
    if (param.type !== 'enum' && param.values) at('values', 'only enum parameters take "values"');
    if (param.aliasOf !== undefined && !other(param.aliasOf, param))
      at('aliasOf', `names no other parameter of the playbook: "${param.aliasOf}"`);
    for (const key of Object.keys(param.implies ?? {}))
      if (!other(key, param)) at('implies', `names no other parameter of the playbook: "${key}"`);
    if (param.pattern !== undefined) {
      try {
        new RegExp(param.pattern);
      } catch {
        at('pattern', 'not a valid regular expression');
      }
    }
  }
  return issues;
}

function checkWith(
  located: Located,
  path: Path,
  action: string,
  values: Record<string, unknown>,
  types: ReadonlyMap<string, ParamType>,
  names: ReadonlySet<string> | undefined,
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
    for (const ref of refs) if (names && !names.has(ref)) issues.push(unknownParam(located, here, ref, names));
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

function unknownParam(located: Located, path: Path, ref: string, params: ReadonlySet<string>): PlaybookIssue {
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
