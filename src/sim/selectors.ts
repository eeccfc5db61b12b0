import type { SimObject } from './cluster-state.js';
import { badRequest } from './status.js';

/** One requirement of a label selector, as apimachinery's `labels.Requirement`. */
export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type ObjectPredicate = (object: SimObject) => boolean;

const MATCH_ALL: ObjectPredicate = () => true;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const SET_RE = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/;
const EQ_RE = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/;
const CMP_RE = /^([^=!<>\s]+)\s*(<|>)\s*(-?\d+)$/;
const KEY_RE = /^(!?)\s*([A-Za-z0-9][-A-Za-z0-9_./]*)$/;

/** Parses an equality- or set-based label selector; a malformed one is a 400 as the API server answers. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    let m = SET_RE.exec(part);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      requirements.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
      continue;
    }
    m = EQ_RE.exec(part);
    if (m) {
      requirements.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
      continue;
    }
    m = CMP_RE.exec(part);
    if (m) {
      requirements.push({ key: m[1]!, op: m[2] === '<' ? 'lt' : 'gt', value: Number(m[3]) });
      continue;
    }
    m = KEY_RE.exec(part);
    if (m) {
      requirements.push({ key: m[2]!, op: m[1] ? 'notexists' : 'exists' });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Record<string, string> = {}): boolean {
  for (const r of requirements) {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(value!)) return false;
        break;
      case 'gt':
      case 'lt': {
        const n = Number(value);
        if (!has || !Number.isInteger(n) || (r.op === 'gt' ? n <= r.value : n >= r.value)) return false;
        break;
      }
    }
  }
  return true;
}

export function labelPredicate(selector: string | undefined): ObjectPredicate {
  if (!selector || selector.trim() === '') return MATCH_ALL;
  const requirements = parseLabelSelector(selector);
  return (object) => matchesLabels(requirements, object.metadata.labels);
}

/** The field selectors each kind supports, beyond `metadata.name` and `metadata.namespace` (as the API server). */
const FIELDS_BY_KIND: Record<string, readonly string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  Secret: ['type'],
  ReplicaSet: ['status.replicas'],
};

/** events.k8s.io field names, translated to the core/v1 fields events are stored with. */
export const EVENTS_V1_FIELDS: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  'deprecatedSource.component': 'source',
};

function fieldValue(object: SimObject, field: string): string {
  if (field === 'source') {
    const source = (object.source as { component?: string } | undefined)?.component;
    return source || String(object.reportingComponent ?? '');
  }
  let value: unknown = object;
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return '';
  return String(value);
}

/**
 * A field selector (`a=b,c!=d`) for one kind; an unsupported field is a 400 with the server's message.
 * `translate` maps the names of another served form (events.k8s.io) onto the stored ones.
 */
export function fieldPredicate(
  selector: string | undefined,
  kind: string,
  translate: Record<string, string> = {},
): ObjectPredicate {
  if (!selector || selector.trim() === '') return MATCH_ALL;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELDS_BY_KIND[kind] ?? [])]);
  const terms = splitTopLevel(selector).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = translate[m[1]!] ?? m[1]!;
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${m[1]}`);
    return { field, negate: m[2] === '!=', value: m[3]! };
  });
  return (object) => terms.every((t) => (fieldValue(object, t.field) === t.value) !== t.negate);
}
